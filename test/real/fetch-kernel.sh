#!/usr/bin/env bash
# Fetches a Debian cloud kernel's debug package once and extracts only what the real-kernel suites
# use: the vmlinux (DWARF 5 + pahole's .BTF) and about ten modules (those of the list below that
# the package has: a module built into one kernel is missing from its package). Cached outside the
# repo. Prints the cache folder.
#   test/real/fetch-kernel.sh                 the Debian 6.1 kernel (the real-kernel suites' main input)
#   test/real/fetch-kernel.sh 6.12            the Debian 6.12 kernel (kfunc sets with flags, newer DWARF)
#   test/real/fetch-kernel.sh 6.1 --all-modules   also every module of the package (benchmarks)
# Override the package with BTFORGE_KERNEL_PKG, the cache with BTFORGE_CACHE.
set -euo pipefail
cache="${BTFORGE_CACHE:-$HOME/.cache/btforge}"
case "${1:-6.1}" in
  6.1) default_pkg=linux-image-6.1.0-50-cloud-amd64-dbg ;;
  6.12) default_pkg=linux-image-6.12.107+deb12-cloud-amd64-dbg ;;
  *) echo "fetch-kernel.sh: unknown kernel '$1' (6.1 or 6.12)" >&2; exit 2 ;;
esac
all_modules=false
[ "${2:-}" = "--all-modules" ] && all_modules=true
pkg="${BTFORGE_KERNEL_PKG:-$default_pkg}"
kver="${pkg#linux-image-}"; kver="${kver%-dbg}"
dest="$cache/$kver"
modules=(
  arch/x86/kvm/kvm.ko drivers/md/dm-crypt.ko drivers/net/tun.ko drivers/net/veth.ko
  drivers/net/virtio_net.ko fs/fuse/fuse.ko fs/overlayfs/overlay.ko net/bridge/bridge.ko
  net/ipv4/tcp_bbr.ko net/netfilter/nf_tables.ko drivers/block/nbd.ko
)
mkdir -p "$cache"
deb=$(ls "$cache"/"$pkg"_*.deb 2>/dev/null | head -n 1 || true)
fetch_deb() {
  if [ -z "$deb" ]; then
    (cd "$cache" && apt-get download "$pkg" >&2)
    deb=$(ls "$cache"/"$pkg"_*.deb | head -n 1)
  fi
}
if [ ! -f "$dest/.complete" ]; then
  fetch_deb
  mkdir -p "$dest"
  listing=$(dpkg-deb --fsys-tarfile "$deb" | tar -t)
  members=("./usr/lib/debug/boot/vmlinux-$kver")
  present=()
  for m in "${modules[@]}"; do
    member="./usr/lib/debug/lib/modules/$kver/kernel/$m"
    if grep -qxF "$member" <<<"$listing"; then members+=("$member"); present+=("$m"); fi
  done
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dest" "${members[@]}"
  ln -sfn "usr/lib/debug/boot/vmlinux-$kver" "$dest/vmlinux"
  mkdir -p "$dest/modules"
  for m in "${present[@]}"; do ln -sfn "../usr/lib/debug/lib/modules/$kver/kernel/$m" "$dest/modules/$(basename "$m")"; done
  touch "$dest/.complete"
fi
if $all_modules && [ ! -f "$dest/.all-modules" ]; then
  fetch_deb
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dest" --wildcards "./usr/lib/debug/lib/modules/$kver/kernel/*.ko"
  touch "$dest/.all-modules"
fi
echo "$dest"
