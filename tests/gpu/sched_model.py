#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""sched_model.py - host-side models of two schedulers in kernels/ (kernels/NOTES.md, "Third round").

1. attention: how busy the SMs stay under the persistent attention kernel's item orders (causal, 16 heads,
   16384 tokens as the suite): a static stride over the items against a greedy dynamic scheduler, for
   sections of hsec heads (aw_tile in kernels/attention_wgmma.cu). An item costs its key tiles plus X for
   its prologue and epilogue.
2. stream-K: the GEMM's stream-K indexing (sk_plan, sk_start, sk_owner, sk_next and the slots of
   sk_epilogue in kernels/matmul_wgmma_gemm.cu), checked for every n of the suite: every k-iteration of
   every tile done once, the pieces of each split tile are the non-empty ranges between its first and
   last owner, no two pieces share a slot. Exits 1 on a failed check.
Usage: python3 tests/gpu/sched_model.py
"""
import heapq
import sys


def attn_items(s, bh, hsec, bm=128, bn=128):
    nq = (s + bm - 1) // bm
    out = []
    for t in range(bh * nq):
        sec_items = hsec * nq
        sec, r = divmod(t, sec_items)
        hin = min(hsec, bh - sec * hsec)
        qt = nq - 1 - r // hin
        out.append(min((qt * bm + bm + bn - 1) // bn, s // bn))
    return out


def busy(items, sms, x, dynamic):
    total = sum(items) + x * len(items)
    if dynamic:
        heap = [(0.0, i) for i in range(sms)]
        for n in items:
            t, i = heapq.heappop(heap)
            heapq.heappush(heap, (t + n + x, i))
        span = max(t for t, _ in heap)
    else:
        load = [0.0] * sms
        for i, n in enumerate(items):
            load[i % sms] += n + x
        span = max(load)
    return total / sms / span


def sk_check(n, bn, cl, units, skw, bm=128, bk=64):
    tiles = ((n + bm * cl - 1) // (bm * cl)) * ((n + bn - 1) // bn)
    kt = (n + bk - 1) // bk
    rem = tiles % units
    sk = 0 if skw <= 0 or rem == 0 else rem + (units if skw >= 2 and tiles >= rem + units else 0)
    iters = sk * kt
    if sk and iters < units:  # the launcher's cap: no empty range
        units = iters
    start = lambda u: u * iters // units
    owner = lambda i: ((i + 1) * units + iters - 1) // iters - 1
    done, slots = set(), {}
    for u in range(units):
        i, end, t = start(u), start(u + 1), sk + u
        while True:
            if i < end:
                tile = i // kt
                k0 = i - tile * kt
                k1 = min(kt, k0 + end - i)
                i += k1 - k0
            elif t < tiles:
                tile, k0, k1 = t, 0, kt
                t += units
            else:
                break
            for k in range(k0, k1):
                if (tile, k) in done:
                    return "k-iteration (%d, %d) done twice" % (tile, k)
                done.add((tile, k))
            if k0 > 0 or k1 < kt:
                fi = tile * kt
                if not owner(fi) <= u <= owner(fi + kt - 1):
                    return "tile %d: unit %d outside its owners" % (tile, u)
                slot = (u, 0 if start(u) >= fi else 1)
                if slot in slots:
                    return "slot %s used twice" % (slot,)
                slots[slot] = tile
    if len(done) != tiles * kt:
        return "%d of %d k-iterations done" % (len(done), tiles * kt)
    for tile in range(sk):
        fi = tile * kt
        for u in range(owner(fi), owner(fi + kt - 1) + 1):
            if owner(fi) != owner(fi + kt - 1) and slots.get((u, 0 if start(u) >= fi else 1)) != tile:
                return "tile %d: unit %d wrote no piece" % (tile, u)
    return None


def main():
    print("attention, causal: share of the SMs' time busy (132 SMs, item = key tiles + 1.5)")
    print("   seq   bh  static/global  dynamic/global  static/L2 sections  dynamic/L2 sections (hsec)")
    for s in (1024, 2048, 4096, 8192):
        bh = 16384 // s * 16
        h, hsec = (50 << 20) // 2 // (2 * s * 128 * 2), 1  # aw_hsec at d = 128, 50 MB of L2
        while hsec * 2 <= h and hsec * 2 <= bh:
            hsec *= 2
        g, l2 = attn_items(s, bh, bh), attn_items(s, bh, hsec)
        print("%6d %4d  %13.3f  %14.3f  %18.3f  %19.3f (%d)" % (s, bh, busy(g, 132, 1.5, False), busy(g, 132, 1.5, True),
                                                                busy(l2, 132, 1.5, False), busy(l2, 132, 1.5, True), hsec))
    bad = 0
    for n in (64, 128, 256, 512, 1000, 1024, 2048, 3000, 4096, 8192):
        for bn in (128, 256):
            for cl, units in ((1, 132), (2, 66), (2, 60)):
                for skw in (0, 1, 2):
                    err = sk_check(n, bn, cl, units, skw)
                    if err:
                        bad += 1
                        print("stream-K n=%d bn=%d cl=%d units=%d skw=%d: %s" % (n, bn, cl, units, skw, err))
    print("stream-K indexing: %s" % ("every case holds" if not bad else "%d cases FAIL" % bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
