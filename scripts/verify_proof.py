#!/usr/bin/env python3
"""Check a qianwan event proof offline, with the Python standard library and the public key only.

    python3 -I verify_proof.py PROOF.json --public-key checkpoint.pub

PROOF.json comes from ``qianwan prove NOTIFICATION_ID`` or the GraphQL field ``eventProof``;
the public key is the district's checkpoint key, obtained separately (PEM, or 64 hex digits).
Exit status 0: the event is in the log the checkpoint vouches for; 1: it is not (the reason is
printed); 2: the files could not be read.

This file stands alone on purpose: an auditor can read all of it, copy it anywhere and run it
with no package installed. It checks, in order:

1. the event's canonical bytes are well formed and name the proof's notification id;
2. the leaf hash SHA-256(0x00 || bytes) sits at the leaf index of the tree of the proof's size
   and root, by the audit path (RFC 9162 §2.1.3.2);
3. the checkpoint names the same size and root and its key is the public key given;
4. the checkpoint's Ed25519 signature (RFC 8032, implemented below) holds over the text
   "qianwan-checkpoint-v1\\n<size>\\n<root hex>\\n<signed at>\\n".
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

PROOF_FORMAT = "qianwan-event-proof-v1"
CHECKPOINT_FORMAT = "qianwan-checkpoint-v1"
EVENT_FORMAT = b"qianwan-event-v1"

# -- Ed25519 verification, RFC 8032 §5.1 (edwards25519, SHA-512) ----------------------------------
# Points are kept in extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, x*y = T/Z.

P = 2**255 - 19  # the field prime
L = 2**252 + 27742317777372353535851937790883648493  # the order of the base point
D = -121665 * pow(121666, P - 2, P) % P  # the curve constant d = -121665/121666
SQRT_M1 = pow(2, (P - 1) // 4, P)  # a square root of -1 mod p
Point = tuple[int, int, int, int]


def _point_add(a: Point, b: Point) -> Point:
    """RFC 8032 §5.1.4: addition (it also doubles) in extended coordinates."""
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % P
    bb = (y1 + x1) * (y2 + x2) % P
    cc = 2 * t1 * t2 * D % P
    dd = 2 * z1 * z2 % P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _scalar_mult(s: int, point: Point) -> Point:
    result: Point = (0, 1, 1, 0)  # the neutral element
    while s > 0:
        if s & 1:
            result = _point_add(result, point)
        point = _point_add(point, point)
        s >>= 1
    return result


def _point_equal(a: Point, b: Point) -> bool:
    x1, y1, z1, _ = a
    x2, y2, z2, _ = b
    return (x1 * z2 - x2 * z1) % P == 0 and (y1 * z2 - y2 * z1) % P == 0


def _recover_x(y: int, sign: int) -> int | None:
    """RFC 8032 §5.1.3: x from y and the sign bit, or None when there is no such point."""
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


def _decompress(data: bytes) -> Point | None:
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


_G_Y = 4 * pow(5, P - 2, P) % P
_G_X = _recover_x(_G_Y, 0)
assert _G_X is not None
G: Point = (_G_X, _G_Y, 1, _G_X * _G_Y % P)  # the base point


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """RFC 8032 §5.1.7: [S]B = R + [k]A with k = SHA-512(R || A || M) mod L."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a = _decompress(public_key)
    r = _decompress(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= L:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little")
    return _point_equal(_scalar_mult(s, G), _point_add(r, _scalar_mult(k % L, a)))


# -- Merkle inclusion, RFC 9162 §2.1.3.2 -----------------------------------------------------------


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def inclusion_holds(leaf: bytes, index: int, size: int, path: list[bytes], root: bytes) -> bool:
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while fn & 1 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = _node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


# -- the event's canonical bytes (six length-prefixed fields) --------------------------------------


def decode_event(data: bytes) -> dict[str, Any]:
    fields: list[bytes] = []
    at = 0
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        if at + 4 + length > len(data):
            raise ValueError("a field runs past the end")
        fields.append(data[at + 4 : at + 4 + length])
        at += 4 + length
    if len(fields) != 6 or fields[0] != EVENT_FORMAT:
        raise ValueError("not a qianwan-event-v1 encoding")
    if len(fields[1]) != 8 or len(fields[2]) != 16 or len(fields[3]) != 8:
        raise ValueError("malformed fixed-size field")
    return {
        "notification_id": int.from_bytes(fields[1], "big"),
        "originator_id": fields[2].hex(),
        "originator_version": int.from_bytes(fields[3], "big"),
        "topic": fields[4].decode("utf-8"),
        "state": fields[5],
    }


# -- the checks ------------------------------------------------------------------------------------


def read_public_key(text: str) -> bytes:
    """A PEM SubjectPublicKeyInfo holding an Ed25519 key, or 64 hex digits."""
    text = text.strip()
    if text.startswith("-----BEGIN PUBLIC KEY-----"):
        body = "".join(line for line in text.splitlines() if not line.startswith("-----"))
        der = base64.b64decode(body)
        prefix = bytes.fromhex("302a300506032b6570032100")  # SPKI header of an Ed25519 key
        if len(der) != 44 or not der.startswith(prefix):
            raise ValueError("not an Ed25519 public key")
        return der[len(prefix) :]
    key = bytes.fromhex(text)
    if len(key) != 32:
        raise ValueError("a public key is 32 bytes")
    return key


def check(proof: dict[str, Any], public_key: bytes) -> tuple[bool, str]:
    """(True, summary) when the proof holds; (False, the first reason it does not)."""
    if proof.get("format") != PROOF_FORMAT:
        return False, f"not a {PROOF_FORMAT} proof"
    event = base64.b64decode(proof["event"], validate=True)
    try:
        fields = decode_event(event)
    except ValueError as error:
        return False, f"the event bytes are not canonical: {error}"
    if fields["notification_id"] != proof["notification_id"]:
        return False, "the event bytes name another notification id"
    index, size = int(proof["leaf_index"]), int(proof["tree_size"])
    root = bytes.fromhex(proof["root"])
    path = [bytes.fromhex(h) for h in proof["audit_path"]]
    leaf = hashlib.sha256(b"\x00" + event).digest()
    if not inclusion_holds(leaf, index, size, path, root):
        return False, "the event is not in the tree: the inclusion proof does not hold"
    cp = proof["checkpoint"]
    if cp.get("format") != CHECKPOINT_FORMAT:
        return False, f"the checkpoint is not a {CHECKPOINT_FORMAT} checkpoint"
    if int(cp["tree_size"]) != size or bytes.fromhex(cp["root"]) != root:
        return False, "the checkpoint vouches for another tree than the proof's"
    if bytes.fromhex(cp["public_key"]) != public_key:
        return False, "the checkpoint is signed by another key than the one given"
    message = f"{CHECKPOINT_FORMAT}\n{size}\n{root.hex()}\n{cp['signed_at']}\n".encode("ascii")
    if not ed25519_verify(public_key, message, bytes.fromhex(cp["signature"])):
        return False, "the checkpoint's signature does not hold"
    summary = (
        f"notification {fields['notification_id']} ({fields['topic']}, "
        f"{fields['originator_id']} v{fields['originator_version']}) is leaf {index} of the "
        f"tree of {size} events with root {root.hex()}, signed {cp['signed_at']}"
    )
    return True, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("proof", type=Path, help="the proof JSON file")
    parser.add_argument(
        "--public-key", required=True, help="the checkpoint key: a PEM file, or 64 hex digits"
    )
    args = parser.parse_args(argv)
    try:
        proof = json.loads(args.proof.read_text(encoding="utf-8"))
        key_path = Path(args.public_key)
        key_text = key_path.read_text(encoding="ascii") if key_path.is_file() else args.public_key
        public_key = read_public_key(key_text)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        ok, message = check(proof, public_key)
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        ok, message = False, f"malformed proof: {error!r}"
    print(f"OK: {message}" if ok else f"FAILED: {message}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
