// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf-load: hand BTF blobs to the running kernel with bpf(BPF_BTF_LOAD) and report the
 * kernel's verdict and verifier log. Node has no bpf() syscall, so @btforge/btf builds this
 * small program at first use and talks to it over pipes.
 *
 *   btf-load FILE...   one report per file, human readable
 *   btf-load --batch   framed blobs on stdin, framed answers on stdout (one process for many)
 *
 * Batch framing, all integers little-endian u32:
 *   request:  <length> <length bytes of BTF>          (stream ends at EOF)
 *   answer:   "R <verdict> <loglen>\n" <loglen bytes of log>
 * where verdict is "ok" or the errno name (EINVAL, E2BIG, ...).
 *
 * The attr layout is declared here rather than taken from <linux/bpf.h>, because the
 * installed uapi header may predate btf_log_true_size (Linux 6.4), which tells us how big a
 * log buffer a retry needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CMD_BTF_LOAD 18          /* enum bpf_cmd: BPF_BTF_LOAD */
#define MAX_BLOB (64u << 20)     /* larger than the kernel's BTF_MAX_SIZE, so E2BIG stays the kernel's */
#define FIRST_LOG_SIZE (64u << 10)
#define MAX_LOG_SIZE ((UINT32_MAX >> 2) - 1) /* kernel rejects log_size > UINT_MAX >> 2 */

struct btf_load_attr {
	uint64_t btf;
	uint64_t btf_log_buf;
	uint32_t btf_size;
	uint32_t btf_log_size;
	uint32_t btf_log_level;
	uint32_t btf_log_true_size;
};

struct verdict {
	int err;        /* 0 when the kernel accepted the blob */
	char *log;      /* NUL-terminated, owned by the caller */
	size_t log_len;
};

static int try_load(const void *blob, uint32_t size, char *log, uint32_t log_size, uint32_t *true_size)
{
	struct btf_load_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)blob;
	attr.btf_size = size;
	attr.btf_log_buf = (uint64_t)(uintptr_t)log;
	attr.btf_log_size = log_size;
	attr.btf_log_level = 1;
	log[0] = '\0';
	fd = syscall(SYS_bpf, CMD_BTF_LOAD, &attr, sizeof(attr));
	*true_size = attr.btf_log_true_size;
	if (fd < 0)
		return errno;
	/* Only the verdict matters: do not keep the object alive in the kernel. */
	close((int)fd);
	return 0;
}

/* Loads once with a modest log; on ENOSPC (log truncated) retries with the size the kernel asked for. */
static struct verdict load_blob(const void *blob, uint32_t size)
{
	struct verdict v = { 0, NULL, 0 };
	uint32_t log_size = FIRST_LOG_SIZE, true_size = 0;

	for (;;) {
		char *log = malloc(log_size);

		if (!log) {
			v.err = ENOMEM;
			v.log = strdup("btf-load: out of memory for the log buffer");
			break;
		}
		v.err = try_load(blob, size, log, log_size, &true_size);
		if (v.err == ENOSPC && log_size < MAX_LOG_SIZE) {
			free(log);
			/* Older kernels do not report the true size: grow geometrically instead. */
			uint64_t want = true_size > log_size ? (uint64_t)true_size + 1 : (uint64_t)log_size * 8;
			log_size = want > MAX_LOG_SIZE ? MAX_LOG_SIZE : (uint32_t)want;
			continue;
		}
		v.log = log;
		break;
	}
	v.log_len = v.log ? strlen(v.log) : 0;
	return v;
}

static const char *errno_name(int err)
{
	const char *name = err ? strerrorname_np(err) : "ok";

	return name ? name : "EUNKNOWN";
}

static int read_full(void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		size_t n = fread((char *)buf + got, 1, len - got, stdin);

		if (n == 0)
			return got == 0 ? 0 : -1;
		got += n;
	}
	return 1;
}

static int batch(void)
{
	for (;;) {
		unsigned char prefix[4];
		uint32_t len;
		int r = read_full(prefix, sizeof(prefix));
		void *blob;
		struct verdict v;

		if (r == 0)
			return 0;
		if (r < 0) {
			fprintf(stderr, "btf-load: truncated length prefix on stdin\n");
			return 2;
		}
		len = prefix[0] | prefix[1] << 8 | prefix[2] << 16 | (uint32_t)prefix[3] << 24;
		if (len > MAX_BLOB) {
			fprintf(stderr, "btf-load: blob of %u bytes exceeds the %u byte limit\n", len, MAX_BLOB);
			return 2;
		}
		blob = malloc(len ? len : 1);
		if (!blob || (len && read_full(blob, len) != 1)) {
			fprintf(stderr, "btf-load: cannot read a %u byte blob from stdin\n", len);
			return 2;
		}
		v = load_blob(blob, len);
		printf("R %s %zu\n", errno_name(v.err), v.log_len);
		fwrite(v.log, 1, v.log_len, stdout);
		fflush(stdout);
		free(v.log);
		free(blob);
	}
}

static int one_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *blob = NULL;
	size_t len = 0, cap = 0;
	struct verdict v;

	if (!f) {
		fprintf(stderr, "btf-load: %s: %s\n", path, strerror(errno));
		return 2;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			if (cap > MAX_BLOB) {
				fprintf(stderr, "btf-load: %s: larger than %u bytes\n", path, MAX_BLOB);
				fclose(f);
				free(blob);
				return 2;
			}
			blob = realloc(blob, cap);
			if (!blob) {
				fclose(f);
				return 2;
			}
		}
		size_t n = fread(blob + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	v = load_blob(blob, (uint32_t)len);
	printf("%s: %s\n", path, errno_name(v.err));
	if (v.log_len)
		printf("%s%s", v.log, v.log[v.log_len - 1] == '\n' ? "" : "\n");
	free(v.log);
	free(blob);
	return v.err ? 1 : 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc == 2 && strcmp(argv[1], "--batch") == 0)
		return batch();
	if (argc < 2) {
		fprintf(stderr, "usage: btf-load FILE... | btf-load --batch\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int r = one_file(argv[i]);

		if (r > status)
			status = r;
	}
	return status;
}
