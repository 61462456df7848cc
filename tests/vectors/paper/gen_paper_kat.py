#!/usr/bin/env python3
# gen_paper_kat.py - an independent implementation of the QR chunk and
# text forms of docs/FORMAT.md ("Paper"), using only Python's standard library
# (hashlib, zlib.crc32, base64.b32encode).  It wrote paper_kat.json; the C
# library must agree with it byte for byte.
import base64, hashlib, json, struct, zlib

def chunks(env, size=112):
    h = hashlib.sha256(env).digest()[:8]
    n = (len(env) + size - 1) // size
    out = []
    for i in range(n):
        d = env[i * size:(i + 1) * size]
        body = h + bytes([i + 1, n]) + struct.pack('>I', len(env)) + d
        body += struct.pack('>I', zlib.crc32(body) & 0xffffffff)
        out.append('ESCROW-E1:' + base64.b32encode(body).decode().rstrip('='))
    return out

def text(env):
    lines = (len(env) + 19) // 20
    w = max(3, len(str(lines)))
    hdr = 'ESCROW-ENVELOPE V1 BYTES %d LINES %d' % (len(env), lines)
    hchk = base64.b32encode(hashlib.sha256(hdr.encode()).digest()[:3]).decode()[:4]
    s = hdr + '  ' + hchk + '\n'
    for l in range(lines):
        d = env[l * 20:(l + 1) * 20]
        b = base64.b32encode(d).decode().rstrip('=')
        chk = base64.b32encode(hashlib.sha256(struct.pack('>H', l + 1) + d)
                               .digest()[:3]).decode()[:4]
        s += '%0*d ' % (w, l + 1) + ''.join(' ' + b[k:k + 4]
                                            for k in range(0, len(b), 4))
        s += '  ' + chk + '\n'
    h = hashlib.sha256(env).hexdigest().upper()
    s += 'SHA256' + ''.join(' ' + h[k:k + 4] for k in range(0, 64, 4)) + '\n'
    return s

cases = []
for name, env in (('30 bytes 00..1d', bytes(range(30))),
                  ('250 bytes i*7', bytes((i * 7) & 255 for i in range(250)))):
    cases.append({'name': name, 'envelope_hex': env.hex(),
                  'sha256': hashlib.sha256(env).hexdigest(),
                  'chunks': chunks(env), 'text': text(env)})
json.dump({'cases': cases}, open('paper_kat.json', 'w'), indent=1)
