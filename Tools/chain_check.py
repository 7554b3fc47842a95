#!/usr/bin/env python3
"""Independent check of a Recovery Ledger, written from docs/format.md alone.

    recovery log --format jsonl | python3 Tools/chain_check.py      (or: chain_check.py FILE)

Recomputes the hash chain from 32 zero bytes, decodes every stored record (version 1) and
checks that it holds exactly the fields printed on its line, and that seq runs 1, 2, 3, ...
Prints `ok N HEADHASH` and exits 0, or `bad SEQ reason` and exits 1.
"""
import base64, hashlib, json, struct, sys

FIELDS = {"seq", "id", "type", "participant", "at", "actor", "data", "recorded_at", "hash", "record"}


class Bad(Exception):
    pass


class Record:
    """Reads the primitives of docs/format.md from the bytes of one record."""

    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, count):
        if count > len(self.data) - self.pos:
            raise Bad("record ends early")
        self.pos += count
        return self.data[self.pos - count:self.pos]

    def varint(self):  # unsigned LEB128: 7 bits a byte, low bits first, high bit = "more follows"
        result = 0
        for shift in range(0, 64, 7):  # at most 10 bytes
            byte = self.take(1)[0]
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                if result >> 64 or (byte == 0 and shift > 0):
                    raise Bad("varint overflows 64 bits or is not in its shortest form")
                return result
        raise Bad("varint longer than 10 bytes")

    def zigzag(self):  # 0, -1, 1, -2, 2 ... are stored as 0, 1, 2, 3, 4 ...
        raw = self.varint()
        return (raw >> 1) ^ -(raw & 1)

    def string(self):  # LEB128 byte length, then strict UTF-8
        return self.take(self.varint()).decode("utf-8")

    def value(self):  # one tagged JSON value
        tag = self.take(1)[0]
        if tag <= 2:
            return (None, False, True)[tag]
        if tag == 3:
            return self.zigzag()
        if tag == 4:
            return struct.unpack(">d", self.take(8))[0]
        if tag == 5:
            return self.string()
        if tag == 6:
            return [self.value() for _ in range(self.varint())]
        if tag == 7:
            members = [(self.string(), self.value()) for _ in range(self.varint())]
            keys = [key for key, _ in members]
            if keys != sorted(set(keys)):  # code point order is UTF-8 byte order
                raise Bad("object keys are not unique and ascending")
            return dict(members)
        raise Bad(f"unknown value tag {tag}")


def utc(ms):
    """The jsonl form of an instant: UTC, milliseconds, `Z` (days-from-civil, proleptic Gregorian)."""
    days, within = divmod(ms, 86_400_000)
    z = days + 719_468
    era, day_of_era = divmod(z, 146_097)
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146_096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + 3 if shifted_month < 10 else shifted_month - 9
    year = year_of_era + era * 400 + (month <= 2)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        year, month, day, within // 3_600_000, within // 60_000 % 60, within // 1000 % 60, within % 1000)


def same(a, b):
    """JSON equality that keeps 1, 1.0 and true apart and compares floats bit for bit."""
    if type(a) is not type(b):
        return False
    if type(a) is float:
        return struct.pack(">d", a) == struct.pack(">d", b)
    if type(a) is list:
        return len(a) == len(b) and all(map(same, a, b))
    if type(a) is dict:
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    return a == b


def strict_object(pairs):
    if len({key for key, _ in pairs}) != len(pairs):
        raise Bad("duplicate member in the line")
    return dict(pairs)


def refuse_constant(name):
    raise Bad(f"{name} is not JSON")


def check_line(line, seq, previous_hash, previous_recorded_at):
    """Checks one jsonl line; returns its chain hash and recorded_at."""
    shown = json.loads(line, object_pairs_hook=strict_object, parse_constant=refuse_constant)
    if type(shown) is not dict:
        raise Bad("line is not a JSON object")
    if set(shown) != FIELDS:
        raise Bad("the line does not have exactly the fields " + ", ".join(sorted(FIELDS)))
    if type(shown["seq"]) is not int or shown["seq"] != seq:
        raise Bad(f"seq should be {seq}, the line says {shown['seq']!r}")
    record = base64.b64decode(shown["record"], validate=True)
    chain_hash = hashlib.sha256(previous_hash + record).digest()
    if shown["hash"] != chain_hash.hex():
        raise Bad("hash does not match SHA-256(previous hash || record): the record or the hash was altered")
    reader = Record(record)
    if reader.take(1)[0] != 1:
        raise Bad("unknown record version")
    seq_stored, recorded_at = reader.varint(), reader.zigzag()
    stored = {"seq": seq_stored, "recorded_at": utc(recorded_at), "id": reader.string(), "at": utc(reader.zigzag()),
              "type": reader.string(), "participant": reader.string(), "actor": reader.string(), "data": reader.value()}
    if reader.pos != len(record):
        raise Bad("trailing bytes after the record")
    if type(stored["data"]) is not dict:
        raise Bad("data is not an object")
    for field, value in stored.items():
        if not same(value, shown[field]):
            raise Bad(f"{field} on the line differs from the record, which holds {repr(value)[:80]}")
    if recorded_at < previous_recorded_at:
        raise Bad("recorded_at goes back in time")
    return chain_hash, recorded_at


def main():
    source = open(sys.argv[1], "rb") if len(sys.argv) > 1 else sys.stdin.buffer
    head, count, recorded_at = bytes(32), 0, -(1 << 63)
    for line in source:
        try:
            head, recorded_at = check_line(line, count + 1, head, recorded_at)
        except (Bad, ValueError, TypeError) as problem:  # ValueError covers JSON, base64 and UTF-8
            print(f"bad {count + 1} {problem}")
            return 1
        count += 1
    print(f"ok {count} {head.hex()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
