"""A tiny MP4 writer: H.264 Constrained Baseline with raw (I_PCM) and skipped (P_Skip) macroblocks.

No encoder is available offline, but H.264 can carry samples uncompressed: the first frame codes every
macroblock as I_PCM, each later frame codes as I_PCM only the macroblocks that changed and skips the
rest (a skipped macroblock copies the previous frame). The result is lossless, small for mostly
static animations, and plays in Chromium (`avc1.42C01E`).
"""

from __future__ import annotations

import struct

import numpy as np

MB = 16


class _Bits:
    """An RBSP writer: bits accumulate into bytes; PCM samples are appended whole, once aligned."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.count = 0

    def u(self, value: int, width: int) -> None:
        for i in range(width - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.count += 1
            if self.count == 8:
                self.out.append(self.acc)
                self.acc = self.count = 0

    def ue(self, value: int) -> None:
        code = value + 1
        self.u(0, code.bit_length() - 1)
        self.u(code, code.bit_length())

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def align(self) -> None:
        self.u(0, -self.count % 8)

    def raw(self, data: bytes) -> None:
        assert self.count == 0, "raw bytes need a byte boundary"
        self.out += data

    def trailing(self) -> bytes:
        self.u(1, 1)
        self.align()
        return bytes(self.out)


def _nal(header: int, rbsp: bytes) -> bytes:
    """A NAL unit with emulation prevention (no 00 00 0x inside)."""
    out = bytearray([header])
    zeros = 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def _sps(width_mbs: int, height_mbs: int) -> bytes:
    bits = _Bits()
    bits.u(66, 8)  # profile_idc: Baseline
    bits.u(0xC0, 8)  # constraint_set0 + set1: Constrained Baseline
    bits.u(30, 8)  # level 3.0
    bits.ue(0)  # seq_parameter_set_id
    bits.ue(0)  # log2_max_frame_num_minus4
    bits.ue(2)  # pic_order_cnt_type: output order = decode order
    bits.ue(1)  # max_num_ref_frames
    bits.u(0, 1)  # gaps_in_frame_num_value_allowed_flag
    bits.ue(width_mbs - 1)
    bits.ue(height_mbs - 1)
    bits.u(1, 1)  # frame_mbs_only_flag
    bits.u(1, 1)  # direct_8x8_inference_flag
    bits.u(0, 1)  # frame_cropping_flag
    bits.u(0, 1)  # vui_parameters_present_flag
    return _nal(0x67, bits.trailing())


def _pps() -> bytes:
    bits = _Bits()
    bits.ue(0)  # pic_parameter_set_id
    bits.ue(0)  # seq_parameter_set_id
    bits.u(0, 1)  # entropy_coding_mode_flag: CAVLC
    bits.u(0, 1)  # bottom_field_pic_order_in_frame_present_flag
    bits.ue(0)  # num_slice_groups_minus1
    bits.ue(0)  # num_ref_idx_l0_default_active_minus1
    bits.ue(0)  # num_ref_idx_l1_default_active_minus1
    bits.u(0, 1)  # weighted_pred_flag
    bits.u(0, 2)  # weighted_bipred_idc
    bits.se(0)  # pic_init_qp_minus26
    bits.se(0)  # pic_init_qs_minus26
    bits.se(0)  # chroma_qp_index_offset
    bits.u(1, 1)  # deblocking_filter_control_present_flag
    bits.u(0, 1)  # constrained_intra_pred_flag
    bits.u(0, 1)  # redundant_pic_cnt_present_flag
    return _nal(0x68, bits.trailing())


def _slice(index: int, blocks: list[bytes | None]) -> bytes:
    """Frame `index` as one slice; a block is the macroblock's PCM samples, or None to skip it."""
    idr = index == 0
    bits = _Bits()
    bits.ue(0)  # first_mb_in_slice
    bits.ue(7 if idr else 5)  # slice_type: I or P, for every slice of the picture
    bits.ue(0)  # pic_parameter_set_id
    bits.u(index % 16, 4)  # frame_num
    if idr:
        bits.ue(0)  # idr_pic_id
        bits.u(0, 1)  # no_output_of_prior_pics_flag
        bits.u(0, 1)  # long_term_reference_flag
    else:
        bits.u(0, 1)  # num_ref_idx_active_override_flag
        bits.u(0, 1)  # ref_pic_list_modification_flag_l0
        bits.u(0, 1)  # adaptive_ref_pic_marking_mode_flag
    bits.se(0)  # slice_qp_delta
    bits.ue(1)  # disable_deblocking_filter_idc: off (the samples are exact)
    skipped = 0
    for block in blocks:
        if block is None:
            skipped += 1
            continue
        if not idr:
            bits.ue(skipped)  # mb_skip_run
            skipped = 0
        bits.ue(25 if idr else 30)  # mb_type: I_PCM
        bits.align()
        bits.raw(block)
    if skipped:
        bits.ue(skipped)
    return _nal(0x65 if idr else 0x41, bits.trailing())


def _ycbcr(frame: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BT.601 limited range, chroma subsampled 2x2; samples kept in 16..240 so no byte is 0."""
    rgb = frame.astype(np.float32)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 16 + 0.257 * r + 0.504 * g + 0.098 * b
    cb = 128 - 0.148 * r - 0.291 * g + 0.439 * b
    cr = 128 + 0.439 * r - 0.368 * g - 0.071 * b

    def sub(plane: np.ndarray) -> np.ndarray:
        return plane.reshape(plane.shape[0] // 2, 2, plane.shape[1] // 2, 2).mean(axis=(1, 3))

    def clip(plane: np.ndarray) -> np.ndarray:
        return np.clip(np.rint(plane), 16, 240).astype(np.uint8)

    return clip(y), clip(sub(cb)), clip(sub(cr))


def _blocks(frame: np.ndarray) -> list[bytes]:
    y, cb, cr = _ycbcr(frame)
    rows, cols = y.shape[0] // MB, y.shape[1] // MB
    return [
        y[r * MB:(r + 1) * MB, c * MB:(c + 1) * MB].tobytes()
        + cb[r * 8:(r + 1) * 8, c * 8:(c + 1) * 8].tobytes()
        + cr[r * 8:(r + 1) * 8, c * 8:(c + 1) * 8].tobytes()
        for r in range(rows) for c in range(cols)
    ]


def _box(kind: bytes, *parts: bytes) -> bytes:
    payload = b"".join(parts)
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full_box(kind: bytes, version: int, flags: int, *parts: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags), *parts)


_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def _moov(width: int, height: int, fps: int, sizes: list[int], sps: bytes, pps: bytes, offset: int) -> bytes:
    count = len(sizes)
    duration_ms = count * 1000 // fps
    avcc = _box(b"avcC", bytes([1, sps[1], sps[2], sps[3], 0xFF, 0xE1]), struct.pack(">H", len(sps)), sps,
                bytes([1]), struct.pack(">H", len(pps)), pps)
    avc1 = _box(b"avc1", bytes(6), struct.pack(">H", 1), bytes(16), struct.pack(">HH", width, height),
                struct.pack(">II", 0x480000, 0x480000), bytes(4), struct.pack(">H", 1), bytes(32),
                struct.pack(">Hh", 0x18, -1), avcc)
    stbl = _box(
        b"stbl",
        _full_box(b"stsd", 0, 0, struct.pack(">I", 1), avc1),
        _full_box(b"stts", 0, 0, struct.pack(">III", 1, count, 1)),
        _full_box(b"stss", 0, 0, struct.pack(">II", 1, 1)),
        _full_box(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, count, 1)),
        _full_box(b"stsz", 0, 0, struct.pack(">II", 0, count), struct.pack(f">{count}I", *sizes)),
        _full_box(b"stco", 0, 0, struct.pack(">II", 1, offset)),
    )
    minf = _box(b"minf", _full_box(b"vmhd", 0, 1, bytes(8)),
                _box(b"dinf", _full_box(b"dref", 0, 0, struct.pack(">I", 1), _full_box(b"url ", 0, 1))), stbl)
    mdia = _box(b"mdia", _full_box(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, fps, count, 0x55C4, 0)),
                _full_box(b"hdlr", 0, 0, bytes(4), b"vide", bytes(12), b"VideoHandler\x00"), minf)
    tkhd = _full_box(b"tkhd", 0, 3, struct.pack(">IIIII", 0, 0, 1, 0, duration_ms), bytes(8),
                     struct.pack(">hhhH", 0, 0, 0, 0), _MATRIX, struct.pack(">II", width << 16, height << 16))
    mvhd = _full_box(b"mvhd", 0, 0, struct.pack(">IIIIIH", 0, 0, 1000, duration_ms, 0x10000, 0x100), bytes(10),
                     _MATRIX, bytes(24), struct.pack(">I", 2))
    return _box(b"moov", mvhd, _box(b"trak", tkhd, mdia))


def encode_mp4(frames: list[np.ndarray], fps: int) -> bytes:
    """Frames as H×W×3 uint8 RGB arrays, sides multiples of 16."""
    height, width = frames[0].shape[:2]
    if width % MB or height % MB:
        raise ValueError("frame sides must be multiples of 16")
    sps, pps = _sps(width // MB, height // MB), _pps()
    samples, previous = [], None
    for index, frame in enumerate(frames):
        blocks = _blocks(frame)
        coded: list[bytes | None] = list(blocks) if previous is None else [b if b != p else None for b, p in zip(blocks, previous)]
        nal = _slice(index, coded)
        samples.append(struct.pack(">I", len(nal)) + nal)
        previous = blocks
    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 512), b"isomiso2avc1mp41")
    sizes = [len(s) for s in samples]
    head = len(ftyp) + len(_moov(width, height, fps, sizes, sps, pps, 0)) + 8
    moov = _moov(width, height, fps, sizes, sps, pps, head)
    return ftyp + moov + _box(b"mdat", *samples)
