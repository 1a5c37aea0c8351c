#!/usr/bin/env bash
# Fetches the Debian 6.1 cloud kernel's debug package once and extracts only what the real-kernel
# suites use: the vmlinux (DWARF 5 + pahole's .BTF) and ten modules. Cached outside the repo.
# Prints the cache folder. Override the package with BTFORGE_KERNEL_PKG, the cache with BTFORGE_CACHE.
set -euo pipefail
cache="${BTFORGE_CACHE:-$HOME/.cache/btforge}"
pkg="${BTFORGE_KERNEL_PKG:-linux-image-6.1.0-50-cloud-amd64-dbg}"
kver="${pkg#linux-image-}"; kver="${kver%-dbg}"
dest="$cache/$kver"
modules=(
  arch/x86/kvm/kvm.ko drivers/md/dm-crypt.ko drivers/net/tun.ko drivers/net/veth.ko
  drivers/net/virtio_net.ko fs/fuse/fuse.ko fs/overlayfs/overlay.ko net/bridge/bridge.ko
  net/ipv4/tcp_bbr.ko net/netfilter/nf_tables.ko
)
if [ -f "$dest/.complete" ]; then echo "$dest"; exit 0; fi
mkdir -p "$dest"
deb=$(ls "$cache"/"$pkg"_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
  (cd "$cache" && apt-get download "$pkg" >&2)
  deb=$(ls "$cache"/"$pkg"_*.deb | head -n 1)
fi
members=("./usr/lib/debug/boot/vmlinux-$kver")
for m in "${modules[@]}"; do members+=("./usr/lib/debug/lib/modules/$kver/kernel/$m"); done
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dest" "${members[@]}"
ln -sf "usr/lib/debug/boot/vmlinux-$kver" "$dest/vmlinux"
mkdir -p "$dest/modules"
for m in "${modules[@]}"; do ln -sf "../usr/lib/debug/lib/modules/$kver/kernel/$m" "$dest/modules/$(basename "$m")"; done
touch "$dest/.complete"
echo "$dest"
