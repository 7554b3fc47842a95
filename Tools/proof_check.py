#!/usr/bin/env python3
"""Independent check of Recovery Ledger proofs, written from docs/proofs.md alone.

    python3 Tools/proof_check.py FILE... --key VERIFIER_KEY

VERIFIER_KEY is `NAME+KEYID+BASE64`, as `recovery key show` prints it, or a file holding it.
Each FILE is a proof document (docs/proofs.md §4: an inclusion proof, a receipt or a
consistency proof) or, when it does not begin with `{`, a bare signed checkpoint (§4.3).

With one FILE: prints `ok: ...` lines and exits 0 when everything holds, or prints
`REFUSED: reason` and exits 1. With several: one line per file, in order, `ok: FILE: ...` or
`REFUSED: FILE: reason`; exit 1 when any is refused. Exit 64 for bad usage or a malformed
key, 66 for a file that cannot be read, 2 for an internal error of this checker (a bug).

Needs Python 3 and the `cryptography` package (PyPI; Debian: python3-cryptography) for
Ed25519. Records are decoded with Tools/chain_check.py (docs/format.md §3-§4, §7).
"""
import base64
import hashlib
import json
import math
import os
import re
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chain_check  # noqa: E402  (the record primitives of docs/format.md, utc(), same())

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover
    sys.stderr.write("proof_check.py: needs the `cryptography` package "
                     "(pip3 install cryptography, or Debian's python3-cryptography)\n")
    sys.exit(2)

PROGRAM = "proof_check.py"

# Limits (docs/proofs.md §3, §4, §4.1).
MAX_DOCUMENT = 64 << 20      # a proof document: 64 MiB
MAX_NOTE = 1 << 20           # a signed note: 1 MiB
MAX_SIGNATURES = 100         # signature lines in a note
MAX_EXTENSIONS = 16          # checkpoint extension lines
MAX_ENTRIES = 100_000        # entries in a receipt
MAX_PATH = 64                # hashes in an audit or consistency path
MAX_DATA_DEPTH = 64          # levels below `data` (docs/format.md §3, the reader's limit)

HASH_SIZE = 32
ED25519 = 0x01               # the only signature type byte known (§2)
EMPTY_ROOT = hashlib.sha256(b"").digest()   # MTH({}) (§1)

EX_OK, EX_REFUSED, EX_INTERNAL, EX_USAGE, EX_NOINPUT = 0, 1, 2, 64, 66
SEVERITY = [EX_OK, EX_REFUSED, EX_NOINPUT, EX_INTERNAL]  # with several files, the worst wins


class Refused(Exception):
    """The document (or note) does not hold; the message says why."""


class BadKey(Exception):
    """The verifier key given is malformed (exit 64)."""


# ---------------------------------------------------------------------------------------------
# Primitives

def strict_base64(text, what, length=None):
    """Decodes standard base64 and insists on the canonical encoding (docs/proofs.md, before §1)."""
    if type(text) is not str:
        raise Refused(f"{what} is not a string")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, ValueError):
        raise Refused(f"{what} is not base64") from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise Refused(f"{what} is not the canonical base64 of its bytes")
    if length is not None and len(raw) != length:
        raise Refused(f"{what} holds {len(raw)} bytes, not {length}")
    return raw


def leaf_hash(record):
    return hashlib.sha256(b"\x00" + record).digest()       # §1: SHA-256(00 ‖ r)


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()  # §1: SHA-256(01 ‖ l ‖ r)


def valid_name(name):
    """A key name (C2SP signed-note): non-empty, no Unicode white space, no `+` (§2)."""
    return name != "" and "+" not in name and not any(ch.isspace() for ch in name)


def key_id(name, public):
    """§2: the first 4 bytes, big-endian, of SHA-256(NAME ‖ 0a ‖ 01 ‖ public key)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ED25519]) + public).digest()[:4], "big")


def short(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------------------------------------
# The verifier key (§2)

class VerifierKey:
    def __init__(self, text):
        if text.startswith("PRIVATE+KEY+"):
            raise BadKey("that is a signer (private) key: give the verifier key `recovery key show` prints")
        parts = text.split("+", 2)  # the base64 may itself hold `+`
        if len(parts) != 3:
            raise BadKey("a verifier key is NAME+KEYID+BASE64")
        name, hex_id, encoded = parts
        if not valid_name(name):
            raise BadKey("the key name is empty or holds white space")
        if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
            raise BadKey("the key id is not 8 lower-case hex digits")
        try:
            raw = strict_base64(encoded, "the key")
        except Refused as problem:
            raise BadKey(str(problem)) from None
        if not raw or raw[0] != ED25519:
            raise BadKey(f"unknown key type {raw[0] if raw else 'none'} (only 01, Ed25519, is known)")
        if len(raw) != 33:
            raise BadKey("an Ed25519 key is 32 bytes")
        self.name, self.id, self.public = name, int(hex_id, 16), raw[1:]
        if key_id(name, self.public) != self.id:
            raise BadKey("the key id does not match the name and public key")
        try:
            self.verifier = Ed25519PublicKey.from_public_bytes(self.public)
        except ValueError as problem:
            raise BadKey(f"not an Ed25519 public key: {problem}") from None
        self.text = f"{name}+{hex_id}"

    def verifies(self, signature, message):
        try:
            self.verifier.verify(signature, message)
            return True
        except InvalidSignature:
            return False


def read_key_argument(argument):
    """--key: the key text itself, or a file holding it (surrounding white space ignored)."""
    if os.path.isfile(argument):
        try:
            with open(argument, "rb") as file:
                content = file.read(65537)
        except OSError as problem:
            raise BadKey(f"cannot read the key file: {problem.strerror}") from None
        if len(content) > 65536:
            raise BadKey("the key file is too large to hold a key")
        try:
            argument = content.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise BadKey("the key file is not UTF-8") from None
    return VerifierKey(argument)


# ---------------------------------------------------------------------------------------------
# Signed checkpoints (§3)

class Checkpoint:
    def __init__(self, origin, size, root):
        self.origin, self.size, self.root = origin, size, root


def open_checkpoint(note, key, what="the checkpoint"):
    """Opens a signed checkpoint note (bytes) with `key`; returns its origin, size and root."""
    if len(note) > MAX_NOTE:
        raise Refused(f"{what} is larger than 1 MiB")
    try:
        text_of_note = note.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(f"{what} is not UTF-8") from None
    # C2SP signed note (Go's note.Open): no ASCII control character other than line feed.
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text_of_note):
        raise Refused(f"{what} holds a control character")
    # The text, then an empty line, then the signature lines (the last "\n\n" splits them).
    split = note.rfind(b"\n\n")
    if split < 0:
        raise Refused(f"{what}: no empty line between the text and the signatures")
    text, signatures = note[:split + 1], note[split + 2:]
    if not signatures or not signatures.endswith(b"\n"):
        raise Refused(f"{what}: no signature lines, or the last one does not end with a line feed")

    # Signature lines: `— NAME BASE64(KEYID ‖ SIGNATURE)`; ours must be there and verify.
    lines = signatures[:-1].split(b"\n")
    if len(lines) > MAX_SIGNATURES:
        raise Refused(f"{what} has more than {MAX_SIGNATURES} signature lines")
    ours = 0
    for line in lines:
        line = line.decode("utf-8")
        if not line.startswith("\u2014 "):
            raise Refused(f"{what}: a signature line does not begin with `— `")
        name, space, encoded = line[2:].partition(" ")
        if not space or not valid_name(name) or encoded == "":
            raise Refused(f"{what}: malformed signature line")
        blob = strict_base64(encoded, f"{what}: a signature")
        if len(blob) < 5:
            raise Refused(f"{what}: a signature is too short")
        if name != key.name or int.from_bytes(blob[:4], "big") != key.id:
            continue  # another key's (a witness's) signature: ignored (§3)
        if len(blob) != 4 + 64:
            raise Refused(f"{what}: the signature by {key.text} is not an Ed25519 signature")
        if not key.verifies(blob[4:], text):
            raise Refused(f"{what}: the signature by {key.text} does not verify")
        ours += 1
    if ours == 0:
        raise Refused(f"{what} is not signed by {key.text} (no signature line of that name and key id)")

    # The text: origin, size, root, extension lines; each line ends with 0a, none empty.
    body = text[:-1].decode("utf-8").split("\n")
    if any(line == "" for line in body):
        raise Refused(f"{what}: an empty line in the text")
    if len(body) < 3:
        raise Refused(f"{what}: the text lacks the origin, size or root line")
    origin, size_text, root_text, extensions = body[0], body[1], body[2], body[3:]
    if origin != key.name:
        raise Refused(f"{what}: origin {short(origin)} is not the key's name {key.name!r}")
    if not re.fullmatch(r"0|[1-9][0-9]*", size_text) or int(size_text) >= 1 << 64:
        raise Refused(f"{what}: the size line {short(size_text)} is not a decimal number without leading zeros")
    size = int(size_text)
    root = strict_base64(root_text, f"{what}: the root", HASH_SIZE)
    if len(extensions) > MAX_EXTENSIONS:
        raise Refused(f"{what} has more than {MAX_EXTENSIONS} extension lines")
    # The tree's hash algorithm: exactly one `hash ...` line, and it names sha-256.
    algorithms = [line for line in extensions if line.split(" ", 1)[0] == "hash"]
    if algorithms != ["hash sha-256"]:
        raise Refused(f"{what} does not name the hash algorithm sha-256 (extension lines {short(extensions)})")
    if size == 0 and root != EMPTY_ROOT:
        raise Refused(f"{what}: the root of the empty tree must be SHA-256 of nothing")
    return Checkpoint(origin, size, root)


def note_member(document, member, key):
    """A note given as a JSON string: its UTF-8 bytes, opened with `key`."""
    value = document[member]
    try:
        note = value.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused(f"{member} holds an unpaired surrogate") from None
    return open_checkpoint(note, key, f"the {member.replace('_', ' ')}")


# ---------------------------------------------------------------------------------------------
# RFC 9162 verification (§1)

def root_from_inclusion_path(leaf, index, size, path):
    """RFC 9162 §2.1.3.2: the root that `path` leads to from leaf `index` of a tree of `size`."""
    if index >= size:
        raise Refused(f"leaf index {index} is not less than the tree size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise Refused("the audit path is longer than the tree allows")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise Refused("the audit path is shorter than the tree needs")
    return r


def verify_consistency(first, first_root, second, second_root, path):
    """RFC 9162 §2.1.4.2, with the cases §4.2 adds (equal sizes, old size 0)."""
    if first > second:
        raise Refused(f"the old size {first} is larger than the new size {second}")
    if first == second:
        if path:
            raise Refused("equal sizes need an empty consistency path")
        if first_root != second_root:
            raise Refused("equal sizes but different roots")
        return
    if first == 0:
        if path:
            raise Refused("an old size of 0 needs an empty consistency path")
        return
    if not path:
        raise Refused("the consistency path is empty")
    if first & (first - 1) == 0:  # an exact power of two: the old root is the first node
        path = [first_root] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise Refused("the consistency path is longer than the trees allow")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise Refused("the consistency path is shorter than the trees need")
    if fr != first_root:
        raise Refused("the consistency path does not lead to the old root")
    if sr != second_root:
        raise Refused("the consistency path does not lead to the new root")


# ---------------------------------------------------------------------------------------------
# Proof documents (§4)

def strict_object(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise Refused("a duplicate member " + short(next(k for k in keys if keys.count(k) > 1)))
    return dict(pairs)


def no_constant(name):
    raise Refused(f"{name} is not JSON")


def parse_document(data):
    """§4: one JSON object in UTF-8, at most 64 MiB, no duplicate member, no NaN/Infinity."""
    if len(data) > MAX_DOCUMENT:
        raise Refused("the document is larger than 64 MiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("the document is not UTF-8") from None
    try:
        document = json.loads(text, object_pairs_hook=strict_object, parse_constant=no_constant)
    except RecursionError:
        raise Refused("the document nests too deeply") from None
    except ValueError as problem:  # JSONDecodeError, and integers of more than 4300 digits
        raise Refused(f"not JSON: {problem}") from None
    if type(document) is not dict:
        raise Refused("the document is not a JSON object")
    return document


def members(value, expected, what):
    """Exactly the members `expected` ({name: JSON type}), each of its type (§4)."""
    if type(value) is not dict:
        raise Refused(f"{what} is not an object")
    missing = [name for name in expected if name not in value]
    if missing:
        raise Refused(f"{what} lacks the member {missing[0]!r}")
    extra = [name for name in value if name not in expected]
    if extra:
        raise Refused(f"{what} has a member not in the format: {short(extra[0])}")
    for name, kind in expected.items():
        if type(value[name]) is not kind:  # `type is`: true is not a number, 1.0 not an integer
            raise Refused(f"{what}: {name} is not a JSON {JSON_TYPES[kind]}")


JSON_TYPES = {str: "string", int: "integer", list: "array", dict: "object"}

COMMON = {"proof": str, "version": int, "hash_algorithm": str, "signature_algorithm": str}
INCLUSION = {**COMMON, "checkpoint": str, "tree_size": int, "root": str, "entries": list}
RECEIPT = {**INCLUSION, "participant": str}
CONSISTENCY = {**COMMON, "old_checkpoint": str, "old_size": int, "old_root": str,
               "new_checkpoint": str, "new_size": int, "new_root": str, "path": list}
ENTRY = {"leaf_index": int, "event": dict, "path": list}
EVENT = {"seq": int, "id": str, "type": str, "participant": str, "at": str, "actor": str,
         "data": dict, "recorded_at": str, "record": str}


def hash_path(value, what):
    """An audit or consistency path: at most 64 base64 SHA-256 hashes."""
    if len(value) > MAX_PATH:
        raise Refused(f"{what} has more than {MAX_PATH} hashes")
    return [strict_base64(item, f"{what}[{number}]", HASH_SIZE) for number, item in enumerate(value)]


class StrictRecord(chain_check.Record):
    """chain_check's reader, plus what docs/format.md §3 also asks of a canonical record:
    finite floats, and (the reader's limit) no value nested more than 64 levels below data."""

    def value(self, depth=0):
        if depth > MAX_DATA_DEPTH:
            raise chain_check.Bad("data nests more than 64 levels")
        tag = self.take(1)[0]
        if tag == 4:
            self.pos -= 1
            number = super().value()
            if not math.isfinite(number):
                raise chain_check.Bad("a float that is not finite")
            return number
        if tag == 6:
            return [self.value(depth + 1) for _ in range(self.varint())]
        if tag == 7:
            entries = [(self.string(), self.value(depth + 1)) for _ in range(self.varint())]
            keys = [key for key, _ in entries]
            if keys != sorted(set(keys)):  # code point order is UTF-8 byte order
                raise chain_check.Bad("object keys are not unique and ascending")
            return dict(entries)
        self.pos -= 1
        return super().value()


def decode_record(record):
    """docs/format.md §4: the fields of a version-1 record, which must be canonical."""
    reader = StrictRecord(record)
    try:
        if reader.take(1)[0] != 1:
            raise chain_check.Bad("unknown record version")
        fields = {"seq": reader.varint()}
        fields["recorded_at"] = chain_check.utc(reader.zigzag())
        fields["id"] = reader.string()
        fields["at"] = chain_check.utc(reader.zigzag())
        fields["type"], fields["participant"], fields["actor"] = reader.string(), reader.string(), reader.string()
        fields["data"] = reader.value()
        if reader.pos != len(record):
            raise chain_check.Bad("bytes after data")
        if type(fields["data"]) is not dict:
            raise chain_check.Bad("data is not an object")
    except chain_check.Bad as problem:
        raise Refused(f"the record does not decode: {problem}") from None
    except UnicodeDecodeError:
        raise Refused("the record holds a string that is not UTF-8") from None
    return fields


def check_entry(entry, number, checkpoint):
    """§4.1 steps 2 and 3 for one entry; returns its event."""
    what = f"entries[{number}]"
    members(entry, ENTRY, what)
    event = entry["event"]
    members(event, EVENT, f"{what}.event")
    # Step 2: the record is the evidence; every other member of `event` must say what it holds
    # (docs/format.md §7.1 step 4: times formatted as in §7, data with its kinds).
    record = strict_base64(event["record"], f"{what}.event.record")
    for field, value in decode_record(record).items():
        if not chain_check.same(value, event[field]):
            raise Refused(f"{what}.event.{field} differs from the record, which holds {short(value)}")
    if event["seq"] < 1:
        raise Refused(f"{what}: seq {event['seq']} is not a seq (they start at 1)")
    if entry["leaf_index"] != event["seq"] - 1:
        raise Refused(f"{what}: leaf_index {entry['leaf_index']} is not seq − 1 ({event['seq'] - 1})")
    if entry["leaf_index"] >= checkpoint.size:
        raise Refused(f"{what}: seq {event['seq']} is not in the tree of {checkpoint.size} events")
    # Step 3: the audit path from leaf_hash(r) must lead to the checkpoint's root.
    path = hash_path(entry["path"], f"{what}.path")
    root = root_from_inclusion_path(leaf_hash(record), entry["leaf_index"], checkpoint.size, path)
    if root != checkpoint.root:
        raise Refused(f"{what}: the audit path of seq {event['seq']} does not lead to the checkpoint's root")
    return event


def check_inclusion(document, key):
    """§4.1: an inclusion proof (one entry) or a receipt (1–100,000 entries of one participant)."""
    receipt = document["proof"] == "receipt"
    # Step 1: the checkpoint, and the size and root the document repeats.
    checkpoint = note_member(document, "checkpoint", key)
    if document["tree_size"] != checkpoint.size:
        raise Refused(f"tree_size {document['tree_size']} is not the checkpoint's size {checkpoint.size}")
    if strict_base64(document["root"], "root", HASH_SIZE) != checkpoint.root:
        raise Refused("root is not the checkpoint's root")
    entries = document["entries"]
    if receipt and not 1 <= len(entries) <= MAX_ENTRIES:
        raise Refused(f"a receipt has 1 to {MAX_ENTRIES} entries, this one {len(entries)}")
    if not receipt and len(entries) != 1:
        raise Refused(f"an inclusion proof has exactly one entry, this one {len(entries)}")
    events = []
    for number, entry in enumerate(entries):
        event = check_entry(entry, number, checkpoint)
        # Step 4: a receipt lists one participant's events, in increasing seq.
        if receipt and event["participant"] != document["participant"]:
            raise Refused(f"entries[{number}] is an event of {short(event['participant'])}, "
                          f"not of {short(document['participant'])}")
        if events and event["seq"] <= events[-1]["seq"]:
            raise Refused(f"entries[{number}]: seq {event['seq']} does not increase")
        events.append(event)
    size = checkpoint.size
    lines = [f"seq {e['seq']} {e['type']} of {e['participant']} at {e['at']} is in the tree of {size} events"
             for e in events]
    lines.append(signed_line(checkpoint, key))
    if receipt:
        summary = (f"receipt of {document['participant']}: {len(events)} events in the tree of {size} events, "
                   f"signed by {key.text}")
    else:
        summary = f"{lines[0]}, signed by {key.text}"
    return summary, lines


def check_consistency(document, key):
    """§4.2: both notes open with the key; the path leads from the old tree to the new."""
    old = note_member(document, "old_checkpoint", key)
    new = note_member(document, "new_checkpoint", key)
    for prefix, checkpoint in (("old", old), ("new", new)):
        if document[f"{prefix}_size"] != checkpoint.size:
            raise Refused(f"{prefix}_size {document[prefix + '_size']} is not the note's size {checkpoint.size}")
        if strict_base64(document[f"{prefix}_root"], f"{prefix}_root", HASH_SIZE) != checkpoint.root:
            raise Refused(f"{prefix}_root is not the note's root")
    path = hash_path(document["path"], "path")
    verify_consistency(old.size, old.root, new.size, new.root, path)
    summary = (f"the tree of {new.size} events extends the tree of {old.size} events; "
               f"both checkpoints signed by {key.text}")
    return summary, [summary, "old " + signed_line(old, key), "new " + signed_line(new, key)]


def signed_line(checkpoint, key):
    return (f"checkpoint of {checkpoint.origin} signed by {key.text}: {checkpoint.size} events, "
            f"root {checkpoint.root.hex()}")


def check_file(data, key):
    """Checks one file's bytes; returns (one-line summary, detailed lines) or raises Refused."""
    if not data.startswith(b"{"):
        # §4.3: a bare checkpoint note.
        checkpoint = open_checkpoint(data, key)
        line = signed_line(checkpoint, key)
        return line, [line]
    document = parse_document(data)
    # §4: `proof` says which members the document has; exactly those, each of its JSON type.
    if "proof" not in document:
        raise Refused("the document lacks the member 'proof'")
    kind = document["proof"]
    schema = {"inclusion": INCLUSION, "receipt": RECEIPT, "consistency": CONSISTENCY}.get(kind) \
        if type(kind) is str else None
    if schema is None:
        raise Refused(f"proof is {short(kind)}, not \"inclusion\", \"receipt\" or \"consistency\"")
    members(document, schema, "the document")
    if document["version"] != 1:
        raise Refused(f"version {document['version']} is not 1")
    if document["hash_algorithm"] != "sha-256":
        raise Refused(f"hash_algorithm {short(document['hash_algorithm'])} is not \"sha-256\"")
    if document["signature_algorithm"] != "ed25519":
        raise Refused(f"signature_algorithm {short(document['signature_algorithm'])} is not \"ed25519\"")
    if kind == "consistency":
        return check_consistency(document, key)
    return check_inclusion(document, key)


# ---------------------------------------------------------------------------------------------

def worst(a, b):
    return max(a, b, key=SEVERITY.index)


USAGE = f"usage: {PROGRAM} FILE... --key VERIFIER_KEY   (NAME+KEYID+BASE64, or a file holding it)"


def main(arguments):
    for stream in (sys.stdout, sys.stderr):  # a refused document may hold any text
        stream.reconfigure(errors="backslashreplace")
    files, key_argument, options = [], None, True
    iterator = iter(arguments)
    for argument in iterator:
        if options and argument == "--":
            options = False
        elif options and argument in ("-h", "--help"):
            print(__doc__.strip())
            return EX_OK
        elif options and argument == "--key":
            key_argument = next(iterator, None)
            if key_argument is None:
                print(f"{PROGRAM}: --key needs a value\n{USAGE}", file=sys.stderr)
                return EX_USAGE
        elif options and argument.startswith("--key="):
            key_argument = argument[len("--key="):]
        elif options and argument.startswith("-") and argument != "-":
            print(f"{PROGRAM}: unknown option {argument}\n{USAGE}", file=sys.stderr)
            return EX_USAGE
        else:
            files.append(argument)
    if not files or key_argument is None:
        print(USAGE, file=sys.stderr)
        return EX_USAGE
    try:
        key = read_key_argument(key_argument)
    except BadKey as problem:
        print(f"{PROGRAM}: --key: malformed key: {problem}", file=sys.stderr)
        return EX_USAGE

    status = EX_OK
    for path in files:
        prefix = f"{path}: " if len(files) > 1 else ""
        try:
            with open(path, "rb") as file:
                data = file.read(MAX_DOCUMENT + 1)
        except OSError as problem:
            print(f"{PROGRAM}: cannot read {path}: {problem.strerror}", file=sys.stderr)
            status = worst(status, EX_NOINPUT)
            continue
        try:
            summary, lines = check_file(data, key)
        except Refused as problem:
            print(f"REFUSED: {prefix}{problem}")
            status = worst(status, EX_REFUSED)
            continue
        except Exception:  # a bug of this checker: say so, never pass it off as a verdict
            print(f"ERROR: {prefix}internal error of {PROGRAM}:", file=sys.stderr)
            traceback.print_exc()
            status = worst(status, EX_INTERNAL)
            continue
        if len(files) > 1:
            print(f"ok: {path}: {summary}")
        else:
            for line in lines:
                print(f"ok: {line}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
