"""The workbook as a zip package: members read lazily, unchanged members copied raw.

An .xlsx file is a zip of XML parts. A save writes the parts that changed (deflated at
level 1) and copies every other member byte for byte, local header and all, so a part
klachtsheet does not understand (drawings, comments, extensions) survives untouched.
Few stdlib modules and no klachtsheet imports: the read-ahead imports it before its
thread starts and before the package loads (no dataclasses: its import pulls in inspect).
"""

from __future__ import annotations

import encodings.cp437  # noqa: F401 -- loaded here, not first in the read-ahead's thread
import posixpath
import struct
import time
import xml.etree.ElementTree as ElementTree
import zlib
from collections.abc import Sequence

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_END = b"PK\x05\x06"
_DESCRIPTOR = b"PK\x07\x08"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


class UnusualPackage(Exception):
    """The file is a zip this writer does not patch (zip64, encryption, odd layout)."""


class Member:
    """One member of the zip as found in the file (a plain class: see the module's note)."""

    __slots__ = ("central", "compressed", "descriptor", "local", "method", "name")

    def __init__(
        self,
        name: str,
        method: int,
        compressed: bytes,  # the raw (deflated or stored) data
        local: bytes,  # the original local header, descriptor-free members only
        central: bytes,  # the original central directory record
        descriptor: bytes = b"",
    ) -> None:
        self.name, self.method, self.compressed = name, method, compressed
        self.local, self.central, self.descriptor = local, central, descriptor

    def data(self) -> bytes:
        if self.method == 0:
            return self.compressed
        if self.method == 8:
            # The size is known: one buffer of that size, not a doubling one (a 50k-row
            # sheet is 80 MB of XML).
            (size,) = struct.unpack_from("<I", self.central, 24)
            return zlib.decompress(self.compressed, -15, max(size, 1))
        raise UnusualPackage(f"compression method {self.method}")


class Package:
    """The members of one zip file, in order; changed members are kept as new data."""

    def __init__(self, raw: bytes) -> None:
        self.members: list[Member] = _parse(raw)
        self.by_name = {m.name: m for m in self.members}
        # name -> new data, or (deflated data, CRC-32, length) compressed by the caller
        self.changed: dict[str, bytes | tuple[bytes, int, int]] = {}

    def read(self, name: str) -> bytes:
        if name in self.changed:
            changed = self.changed[name]
            return changed if isinstance(changed, bytes) else zlib.decompress(changed[0], -15)
        member = self.by_name.get(name)
        if member is None:
            raise KeyError(name)
        return member.data()

    def size(self, name: str) -> int:
        """Return a member's length once inflated (KeyError when there is none)."""
        (size,) = struct.unpack_from("<I", self.by_name[name].central, 24)
        return int(size)

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    def write(self, name: str, data: bytes) -> None:
        if name not in self.by_name:
            raise UnusualPackage(f"no member {name}")
        self.changed[name] = data

    def write_deflated(self, name: str, deflated: bytes, crc: int, size: int) -> None:
        if name not in self.by_name:
            raise UnusualPackage(f"no member {name}")
        self.changed[name] = (deflated, crc, size)

    def pieces(self) -> list[bytes]:
        """Return the zip file in consecutive pieces: changed members new, the rest raw."""
        out: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        stamp = _dos_time()
        for member in self.members:
            if member.name in self.changed:
                header, compressed, record = _new_entry(
                    member.name, self.changed[member.name], stamp
                )
                record = record[:42] + struct.pack("<I", offset) + record[46:]
                out += (header, compressed)
                central.append(record)
                offset += len(header) + len(compressed)
                # The member now holds the new data: later saves copy it raw.
                member.method, member.compressed, member.descriptor = 8, compressed, b""
                member.local, member.central = header, record
                continue
            out.append(member.local)
            out.append(member.compressed)
            out.append(member.descriptor)
            central.append(member.central[:42] + struct.pack("<I", offset) + member.central[46:])
            member.central = central[-1]
            offset += len(member.local) + len(member.compressed) + len(member.descriptor)
        self.changed.clear()
        directory = b"".join(central)
        end = _END + struct.pack(
            "<HHHHIIH", 0, 0, len(central), len(central), len(directory), offset, 0
        )
        return [*out, directory, end]


def _parse(raw: bytes) -> list[Member]:
    end = raw.rfind(_END, max(0, len(raw) - 65_557))
    if end < 0:
        raise UnusualPackage("no end of central directory")
    disk, cd_disk, _, count, size, start, _ = struct.unpack_from("<HHHHIIH", raw, end + 4)
    if disk or cd_disk or 0xFFFFFFFF in (size, start) or count == 0xFFFF:
        raise UnusualPackage("multi-disk or zip64")
    members = []
    position = start
    for _ in range(count):
        if raw[position : position + 4] != _CENTRAL:
            raise UnusualPackage("damaged central directory")
        (flags, method, _, _, _crc, csize, usize, nlen, xlen, clen) = struct.unpack_from(
            "<HHHHIIIHHH", raw, position + 8
        )
        (local_at,) = struct.unpack_from("<I", raw, position + 42)
        record = raw[position : position + 46 + nlen + xlen + clen]
        position += len(record)
        name_bytes = record[46 : 46 + nlen]
        # Plain names are ASCII in either encoding, and need no codec module loaded.
        name = name_bytes.decode("utf-8" if flags & 0x800 or name_bytes.isascii() else "cp437")
        if flags & 0x1 or 0xFFFFFFFF in (csize, usize, local_at):
            raise UnusualPackage("encrypted or zip64 member")
        if raw[local_at : local_at + 4] != _LOCAL:
            raise UnusualPackage("damaged local header")
        lnlen, lxlen = struct.unpack_from("<HH", raw, local_at + 26)
        data_at = local_at + 30 + lnlen + lxlen
        compressed = raw[data_at : data_at + csize]
        descriptor = b""
        if flags & 0x8:
            after = data_at + csize
            length = 16 if raw[after : after + 4] == _DESCRIPTOR else 12
            descriptor = raw[after : after + length]
        members.append(Member(name, method, compressed, raw[local_at:data_at], record, descriptor))
    return members


def _dos_time() -> tuple[int, int]:
    t = time.localtime()
    year = max(t.tm_year, 1980)
    return (
        (t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2),
        ((year - 1980) << 9) | (t.tm_mon << 5) | t.tm_mday,
    )


def _new_entry(
    name: str, data: bytes | tuple[bytes, int, int], stamp: tuple[int, int]
) -> tuple[bytes, bytes, bytes]:
    if isinstance(data, bytes):
        compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
        compressed, crc, size = (
            compressor.compress(data) + compressor.flush(),
            zlib.crc32(data),
            len(data),
        )
    else:
        compressed, crc, size = data
    header, record = _records(name, 8, crc, len(compressed), size, stamp)
    return header, compressed, record


def _records(
    name: str, method: int, crc: int, compressed: int, size: int, stamp: tuple[int, int]
) -> tuple[bytes, bytes]:
    """Return a member's local header and central directory record (offset 0)."""
    encoded = name.encode("utf-8")
    flags = 0 if encoded.isascii() else 0x800
    fields = (20, flags, method, stamp[0], stamp[1], crc, compressed, size, len(encoded))
    header = _LOCAL + struct.pack("<HHHHHIIIHH", *fields, 0) + encoded
    record = _CENTRAL + struct.pack("<HHHHHHIIIHHHHHII", 20, *fields, 0, 0, 0, 0, 0, 0) + encoded
    return header, record


def stored(members: Sequence[tuple[str, Sequence[bytes | memoryview], int]]) -> bytes:
    """Return a zip of these members as they are, not compressed.

    Each member is its name, its data as consecutive pieces (joined here, once) and its
    CRC-32: for a zip read once in memory and thrown away (see sheetblocks).
    """
    out: list[bytes | memoryview] = []
    central: list[bytes] = []
    offset = 0
    stamp = _dos_time()
    for name, pieces, crc in members:
        size = sum(map(len, pieces))
        header, record = _records(name, 0, crc, size, size, stamp)
        central.append(record[:42] + struct.pack("<I", offset) + record[46:])
        out += (header, *pieces)
        offset += len(header) + size
    directory = b"".join(central)
    end = _END + struct.pack(
        "<HHHHIIH", 0, 0, len(central), len(central), len(directory), offset, 0
    )
    return b"".join((*out, directory, end))


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, index = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[index]
        vector >>= 1
        index += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, row) for row in matrix]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """Return the CRC-32 of A+B from the CRC-32s of A and B and the length of B (zlib's)."""
    if length2 <= 0:
        return crc1
    one = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    operator = _gf2_square(_gf2_square(one))  # four zero bits
    while length2:  # each bit of the length: the operator for 8, 16, 32, … zero bits
        operator = _gf2_square(operator)
        if length2 & 1:
            crc1 = _gf2_times(operator, crc1)
        length2 >>= 1
    return crc1 ^ crc2


def sheet_parts(package: Package) -> tuple[dict[str, str], str]:
    """Return tab name -> worksheet part, and the styles part, from the package's relations."""
    # The same parts openpyxl parsed with ElementTree before; expat refuses external
    # entities and limits entity expansion, and these parts are a few hundred bytes.
    try:
        root_rels = ElementTree.fromstring(package.read("_rels/.rels"))  # noqa: S314
        workbook = next(
            r.get("Target", "")
            for r in root_rels.iter(_PKG_REL)
            if r.get("Type", "").endswith("/officeDocument")
        ).lstrip("/")
        folder, base = posixpath.split(workbook)
        rels = ElementTree.fromstring(package.read(posixpath.join(folder, "_rels", base + ".rels")))  # noqa: S314
        book = ElementTree.fromstring(package.read(workbook))  # noqa: S314
    except (KeyError, StopIteration, ElementTree.ParseError) as error:
        raise UnusualPackage(f"workbook parts not found ({error})") from None
    targets: dict[str, str] = {}
    styles = ""
    for rel in rels.iter(_PKG_REL):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets[rel.get("Id", "")] = posixpath.normpath(target)
        if rel.get("Type", "").endswith("/styles"):
            styles = posixpath.normpath(target)
    paths = {}
    for sheet in book.iter(_MAIN + "sheet"):
        rel_id = sheet.get(_REL, "")
        if sheet.get("name") and rel_id in targets:
            paths[sheet.get("name", "")] = targets[rel_id]
    if not paths:
        raise UnusualPackage("no sheets found (strict OOXML?)")
    return paths, styles
