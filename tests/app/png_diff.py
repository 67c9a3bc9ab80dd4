#!/usr/bin/env python3
"""Compares two PNGs of the same size (8-bit RGB or RGBA, standard library only) and prints
`differing <n> bbox <x0> <y0> <x1> <y1>` (bbox "none" when they are identical) on one line."""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path + ": not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, chunk = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and color in (2, 6), path + ": only 8-bit RGB/RGBA"
        elif kind == b"IDAT":
            idat += chunk
    raw = zlib.decompress(idat)
    bpp = 4 if color == 6 else 3
    stride = w * bpp
    rows, prev, p = [], bytearray(stride), 0
    for _ in range(h):
        f = raw[p]
        line = bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                q = a + b - c
                pa, pb, pc = abs(q - a), abs(q - b), abs(q - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def main():
    wa, ha, bpp, a = decode(sys.argv[1])
    wb, hb, bppb, b = decode(sys.argv[2])
    if (wa, ha) != (wb, hb):
        print("size %dx%d vs %dx%d" % (wa, ha, wb, hb))
        return 1
    n, x0, y0, x1, y1 = 0, wa, ha, -1, -1
    for y in range(ha):
        if a[y] == b[y]:
            continue
        for x in range(wa):
            if a[y][x * bpp:x * bpp + 3] != b[y][x * bppb:x * bppb + 3]:
                n += 1
                x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
    print("differing %d bbox %s" % (n, "none" if n == 0 else "%d %d %d %d" % (x0, y0, x1, y1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
