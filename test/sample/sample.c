/*
 * The bundled sample for the README: a small kernel-style object with per-CPU counters, a few
 * structs, and functions, compiled to sample.o (see test/fixtures/obj/make-objects.sh):
 *     gcc -std=gnu11 -g -gdwarf-5 -O2 -c sample.c -o sample.o
 * `btforge dwarf-stats test/sample/sample.o` summarises its DWARF; the encoder turns it into BTF.
 */
#define __percpu __attribute__((section(".data..percpu")))

typedef unsigned int u32;
typedef unsigned long long u64;

struct list_head {
	struct list_head *next, *prev;
};

enum flow_state { FLOW_NEW, FLOW_ESTABLISHED, FLOW_CLOSING = 4 };

/* A packet flow, with a bitfield flags word and an anonymous union. */
struct flow {
	struct list_head node;
	u32 saddr, daddr;
	unsigned short sport, dport;
	enum flow_state state;
	unsigned int tracked : 1, expired : 1, reserved : 30;
	union {
		u64 cookie;
		void *owner;
	};
};

struct flow_stats {
	u64 packets;
	u64 bytes;
	u32 drops;
};

/* Per-CPU variables, as DEFINE_PER_CPU places them. */
__percpu struct flow_stats flow_stats;
__percpu unsigned long flow_count;
__percpu struct flow *last_flow;

struct list_head flow_table[64];
const char sample_name[] = "btforge-sample";

static u32 flow_hash(const struct flow *f)
{
	return (f->saddr ^ f->daddr ^ ((u32)f->sport << 16 | f->dport)) & 63;
}

void flow_insert(struct flow *f)
{
	struct list_head *bucket = &flow_table[flow_hash(f)];
	f->node.next = bucket->next;
	f->node.prev = bucket;
	bucket->next = &f->node;
	f->state = FLOW_NEW;
	flow_count++;
	last_flow = f;
}

int flow_account(struct flow *f, unsigned int len)
{
	if (f->expired) {
		flow_stats.drops++;
		return -1;
	}
	flow_stats.packets++;
	flow_stats.bytes += len;
	f->state = FLOW_ESTABLISHED;
	return 0;
}
