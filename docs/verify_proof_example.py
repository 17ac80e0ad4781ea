"""Check an ecredit inclusion proof with nothing but `cryptography`, hashlib and the public key.

    python verify_proof_example.py proof.json <public key, base64>

proof.json from GET /api/v1/public/records/{id}/proof; the key from /api/v1/public/ledger/public-key
"""

import base64
import hashlib
import json
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def digest(name: str, data: bytes) -> bytes:
    if name == "sha256":
        return hashlib.sha256(data).digest()
    sm3 = hashes.Hash(hashes.SM3())  # GB/T 32905, for ledgers in SM3 mode
    sm3.update(data)
    return sm3.finalize()


def verify(doc: dict, public_key: bytes) -> bool:
    cp = doc["checkpoint"]
    note = "ecredit-ledger/v1\n{hash_name}\n{tree_size}\n{root_hash}\n{chain_hash}\n{signed_at}\n"
    signed = note.format(**cp).encode()  # raises InvalidSignature below if anything was changed
    Ed25519PublicKey.from_public_bytes(public_key).verify(base64.b64decode(cp["signature"]), signed)
    node = digest(cp["hash_name"], b"\x00" + doc["entry"]["canonical"].encode("utf-8"))
    fn, sn = doc["leaf_index"], cp["tree_size"] - 1  # RFC 9162 §2.1.3.2
    for sibling in map(base64.b64decode, doc["audit_path"]):
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            node = digest(cp["hash_name"], b"\x01" + sibling + node)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = digest(cp["hash_name"], b"\x01" + node + sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and node == base64.b64decode(cp["root_hash"])


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        document = json.load(handle)
    print("included" if verify(document, base64.b64decode(sys.argv[2])) else "NOT included")
