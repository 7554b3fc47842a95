#!/usr/bin/env python3
"""How much one touch of a file mapping maps on this kernel (issue 15, docs/performance.md).

Maps FILE read-only, touches one byte every STEP bytes (default 8 MiB) and prints the growth of
the process's `RssFile` per touch, with each madvise advice given first: about 64 KiB means the
kernel maps a fault-around window; about a MiB or more, whole large folios. Run it on a data
file that is in the page cache (read it once first).

    python3 Tools/Benchmarks/folio_probe.py STORE/data.mdb [STEP]
"""
import mmap
import sys


def rss_file_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssFile:"):
                return int(line.split()[1])
    raise SystemExit("no RssFile in /proc/self/status")


def probe(path, step, advice):
    with open(path, "rb") as file:
        mapped = mmap.mmap(file.fileno(), 0, prot=mmap.PROT_READ)
        if advice:
            mapped.madvise(getattr(mmap, advice))
        before = rss_file_kib()
        touches = 0
        total = 0
        # Bounded by the file's size: one touch a step.
        for offset in range(4096 * 7, len(mapped), step):
            total += mapped[offset]
            touches += 1
        grown = rss_file_kib() - before
        mapped.close()
    return touches, grown / max(touches, 1)


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    step = int(sys.argv[2]) if len(sys.argv) > 2 else 8 << 20
    for advice in ["", "MADV_RANDOM", "MADV_NOHUGEPAGE", "MADV_SEQUENTIAL"]:
        touches, per_touch = probe(sys.argv[1], step, advice)
        print(f"{advice or 'no advice':16} {touches} touches, {per_touch:,.0f} KiB mapped a touch")


if __name__ == "__main__":
    main()
