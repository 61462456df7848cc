#!/usr/bin/env python3
"""Parity chunks of docs/FORMAT.md ("Parity chunks"), reimplemented from
the page with the standard library only (no ISA-L): GF(2^8) with
x^8+x^4+x^3+x^2+1, parity row r, data column j: inverse((n + r) XOR j).
Writes parity_kat.json: for fixed envelopes, the parity payloads."""
import base64, hashlib, json, zlib

def gf_mul(a, b):
    r = 0
    while b:
        if b & 1:
            r ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11D
        b >>= 1
    return r

def gf_inv(a):
    # a^254 = a^-1 in GF(2^8)
    r, e = 1, 254
    while e:
        if e & 1:
            r = gf_mul(r, a)
        a = gf_mul(a, a)
        e >>= 1
    return r

def b32(b):
    return base64.b32encode(b).decode().rstrip('=')

def parity_payloads(env):
    n = (len(env) + 111) // 112
    p = min(n, 12)
    data = [env[i * 112:(i + 1) * 112].ljust(112, b'\0') for i in range(n)]
    cid = hashlib.sha256(env).digest()[:8]
    out = []
    for r in range(p):
        piece = bytearray(112)
        for j in range(n):
            c = gf_inv((n + r) ^ j)
            for b in range(112):
                piece[b] ^= gf_mul(c, data[j][b])
        body = cid + bytes([r + 1, p, n]) + len(env).to_bytes(4, 'big') + bytes(piece)
        body += zlib.crc32(body).to_bytes(4, 'big')
        out.append('ESCROW-P1:' + b32(body))
    return out

cases = []
for length, seed in ((30, 1), (250, 7), (1300, 3)):
    env = bytes((seed * 31 + i * 7 + (i >> 3)) & 0xFF for i in range(length))
    cases.append({'envelope_hex': env.hex(), 'parity': parity_payloads(env)})
with open('parity_kat.json', 'w') as f:
    json.dump({'source': 'gen_parity_kat.py (independent of the C code)',
               'cases': cases}, f, indent=1)
    f.write('\n')
