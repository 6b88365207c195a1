"""Extraction on 2025-26 abstracts: each case is an example of issue 17 that failed before."""
from __future__ import annotations

import pandas as pd
import pytest

from conceptgraph.extract.components._resources import norm_key, slug
from conceptgraph.extract.nlp import build_nlp, extract_mentions


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def run(nlp, *abstracts, titles=None):
    papers = pd.DataFrame({"id": [f"p{i}" for i in range(len(abstracts))],
                           "title": titles or [""] * len(abstracts), "abstract": list(abstracts),
                           "lang": "en"})
    return extract_mentions(papers, nlp=nlp)


def found(nlp, *abstracts, **kw):
    """(text, type, concept_id) of every mention."""
    mentions, _ = run(nlp, *abstracts, **kw)
    return [(m.text, m.type, m.concept_id) for m in mentions.itertuples()]


# -- acronyms resolved against the paper's own definition --------------------------------

def test_plural_short_form_is_defined_by_its_long_form(nlp):
    got = found(nlp, "We learn deterministic finite automata (DFAs) from traces.")
    assert ("DFAs", "method", "deterministic-finite-automata") in got
    assert all(cid != "feedback-alignment" for _t, _y, cid in got)


@pytest.mark.parametrize("text, short, wrong", [
    ("We study software vulnerability detection (SVD) with graphs.", "SVD", "svd"),
    ("We lower the attack success rate (ASR) of jailbreaks.", "ASR", "speech-recognition"),
    ("Apps for Digital Contact Tracing (DCT) are reviewed.", "DCT", "dct"),
    ("We add an efficient multi-scale attention (EMA) block.", "EMA", "ema-weights"),
])
def test_definition_beats_the_lexicon(nlp, text, short, wrong):
    got = {t: cid for t, _y, cid in found(nlp, text)}
    assert got[short] != wrong


def test_probabilistic_latent_semantic_analysis_is_linked_whole(nlp):
    got = found(nlp, "We fit Probabilistic Latent Semantic Analysis (PLSA) to the corpus.")
    assert ("Probabilistic Latent Semantic Analysis", "method", "plsa") in [g for g in got if g[0] != "PLSA"]


def test_ambiguous_short_alias_needs_context(nlp):
    # A Segment Anything paper: nothing about sharpness, so SAM is not the optimiser...
    seg = found(nlp, "We fine-tune SAM on medical images for zero-shot segmentation.")
    assert [cid for t, _y, cid in seg if t == "SAM"] == ["sam"]
    # ... and where another paper defines it, the bare SAM takes that definition.
    got = found(nlp, "We fine-tune SAM on medical images.",
                "The Segment Anything Model (SAM) is a promptable segmenter.")
    assert {cid for t, _y, cid in got if t == "SAM"} == {"sam-model"}
    # With supporting context it keeps the lexicon sense.
    opt = found(nlp, "SAM seeks flat minima by minimising the sharpness of the loss.")
    assert [cid for t, _y, cid in opt if t == "SAM"] == ["sam-optimizer"]


def test_acronyms_merge_across_papers_only_when_long_forms_agree(nlp):
    got = found(nlp, "An exponential moving average (EMA) of the weights helps.",
                "We add an efficient multi-scale attention (EMA) module.")
    ids = {(t, cid) for t, _y, cid in got}
    assert ("EMA", "ema-weights") in ids and ("EMA", "efficient-multi-scale-attention") in ids


# -- word boundaries ----------------------------------------------------------------------

@pytest.mark.parametrize("text, bad", [
    ("Out-of-distribution detection is hard for Multi-modal LLMs.", "of-distribution"),
    ("Amyloid-PET scans were read by amyloid-PET experts.", "PET"),
    ("We train Translate-R1 with reinforcement learning.", "R1"),
    ("Real-Time AI Service Economy", "-Time"),
])
def test_no_mention_inside_a_hyphenated_word(nlp, text, bad):
    texts = [t for t, _y, _c in found(nlp, text)]
    assert bad not in texts and not any(t.startswith("-") for t in texts)


def test_all_caps_name_keeps_its_s(nlp):
    got = found(nlp, "We translate Brazilian sign language LIBRAS into text with LIBRAS-Net.")
    assert ("LIBRAS", "method", "libras") in got


def test_cnn_based_keeps_its_name(nlp):
    got = found(nlp, "We train CNNs and ResNet-50 as CNN-based baselines.")
    assert {t for t, _y, _c in got} >= {"CNNs", "ResNet-50"}


# -- new names ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("We propose Mamba, a selective state space model.", "Mamba"),
    ("We present a graph-walking agent called M-Walk for knowledge graphs.", "M-Walk"),
    ("We describe a reading comprehension system called Reactor.", "Reactor"),
])
def test_single_words_after_naming_cues_are_names(nlp, text, name):
    assert name in [t for t, _y, _c in found(nlp, text)]


# -- types ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("We introduce KGI-Bench to test agents.", "KGI-Bench"),
    ("We evaluate on TexBench and MMBench.", "TexBench"),
    ("We introduce FACTORY, a large-scale human-verified benchmark of prompts.", "FACTORY"),
    ("Experiments on four public benchmarks, CVUSA, CVACT, VIGOR, and University-1652, show gains.", "VIGOR"),
    # datasets without a cue next to them
    # a hard-wrapped list after "datasets,": the line break is no boundary
    ("Evaluation on two public datasets,\nHealthQA and FactSet, shows gains.", "HealthQA"),
    ("Evaluation on two public datasets,\nHealthQA and FactSet, shows gains.", "FactSet"),
    # an apposition whose adjectives are listed with commas, and "prompt set"
    ("To address this, we introduce PROMPTFORGE, a large-scale, human-verified prompt set.", "PROMPTFORGE"),
    # a copula: "X is a challenging benchmark"
    ("Our results show that WIDGETS is a challenging benchmark for agents.", "WIDGETS"),
    # an evidence type wins over the family rule ("Base" reads like a model size)
    ("We introduce APEX-Bench, the first systematic benchmark of posters.", "APEX-Bench"),
])
def test_dataset_cues(nlp, text, name):
    assert (name, "dataset") in [(t, y) for t, y, _c in found(nlp, text)]


def test_type_is_voted_over_the_document_and_the_corpus(nlp):
    got = found(nlp, "We introduce FACTORY, a benchmark of prompts. FACTORY is hard.",
                "Models fail on FACTORY often.")
    assert {y for t, y, _c in got if t == "FACTORY"} == {"dataset"}


@pytest.mark.parametrize("name, typ", [
    ("GPT-4", "architecture"), ("GPT-4o", "architecture"), ("LLaMA", "architecture"),
    ("Llama-3.1", "architecture"), ("Qwen2.5", "architecture"), ("GRPO", "method"),
    ("SRCC", "metric"), ("MMLU", "dataset"), ("Gemini", "architecture"), ("Claude", "architecture"),
    ("Gemma", "architecture"), ("DeepSeek-R1", "architecture"), ("DPO", "method"),
])
def test_model_families_are_typed_consistently(nlp, name, typ):
    got = found(nlp, f"We compare {name} with other systems.")
    assert (name, typ) in [(t, y) for t, y, _c in got]


# -- not concepts -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, junk", [
    ("Diffusion models have gained substantial attention.", "attention"),
    ("Unlike prior financial benchmarks, ours is dynamic.", "Unlike prior financial benchmarks"),
    ("Tasks range from Level 1 to Level 5 in Stage 2.", "Level 1"),
    ("Tasks range from Level 1 to Level 5 in Stage 2.", "Stage 2"),
    ("Models with 1B+ parameters gain 0.22dB.", "1B+"),
    ("Models with 1B+ parameters gain 0.22dB.", "0.22dB"),
    ("Errors fall to 1.12cm at 10.8mW and 0.006USD per query.", "1.12cm"),
    ("Errors fall to 1.12cm at 10.8mW and 0.006USD per query.", "10.8mW"),
    ("Errors fall to 1.12cm at 10.8mW and 0.006USD per query.", "0.006USD"),
    ("It codes at 0.05bpp within 10kMACs on 1080p video.", "0.05bpp"),
    ("It codes at 0.05bpp within 10kMACs on 1080p video.", "10kMACs"),
    ("It codes at 0.05bpp within 10kMACs on 1080p video.", "1080p"),
    ("We test 1B-72B models and a 5B model.", "1B-72B"),
    ("We test 1B-72B models and a 5B model.", "5B model"),
    ("Accepted at ACM MM 2026.", "MM 2026"),
    ("1 Introduction 1 Deep nets", "Introduction 1"),
    ("INTRODUCTION Deep nets are big.", "INTRODUCTION"),
    ("Copyright Elsevier Science. All rights reserved.", "Elsevier Science"),
    ("Springer-Verlag Berlin Heidelberg 2005.", "Springer-Verlag Berlin Heidelberg"),
    ("It runs on NVIDIA hardware and writes JSON files.", "NVIDIA"),
    ("It runs on NVIDIA hardware and writes JSON files.", "JSON"),
])
def test_not_concepts(nlp, text, junk):
    assert junk not in [t for t, _y, _c in found(nlp, text)]


def test_digit_first_names_are_not_taken_for_values(nlp):
    got = [t for t, _y, _c in found(nlp, "We compare 3DGS and a 2.5D U-Net over 5G links with word2vec and 300W.")]
    assert {"3DGS", "2.5D U-Net", "5G", "word2vec", "300W"} <= set(got)


def test_no_concept_has_an_empty_label(nlp):
    _m, concepts = run(nlp, "We use ++ and -- and ( ) with **.", "The ⊕ operator (⊕) is new.")
    assert all(isinstance(label, str) and label.strip() for label in concepts.label)
    assert all(cid for cid in concepts.concept_id)



@pytest.mark.parametrize("text", [
    "Results show high-accuracy and real-time rendering on road scenes.",  # head inside a trimmed compound
    "We reach high-accuracy, low-latency inference.",
    "A phenomenon we term ``Less is Less'' (Lil). To mitigate the Lil problem, we train.",  # stop words only
    "The encoder observes a noisy view~$X$ such that $(S,U) - X - Y$ holds.",  # a symbol as long form
])
def test_no_mention_is_empty(nlp, text):
    """Seen on 50,000 arXiv-recent abstracts: 21 mentions with end < start made a concept with id ''."""
    mentions, concepts = run(nlp, text)
    assert all(m.start < m.end and m.text.strip() for m in mentions.itertuples())
    assert all(cid for cid in concepts.concept_id)


# -- canonical names ----------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("optimisation", "optimization"), ("MRI", "MRIs"), ("POI", "POIs"), ("T2I", "T2Is"),
    ("KV Cache", "KV-Caches"), ("regulariser", "regularizer"), ("modelling", "modeling"),
])
def test_spelling_variants_share_an_id(a, b):
    assert slug(a) == slug(b) and norm_key(a) == norm_key(b)


def test_kv_cache_id(nlp):
    got = found(nlp, "We compress the KV Cache. KV-Caches grow with context.")
    assert {cid for _t, _y, cid in got} == {"kv-cache"}


@pytest.mark.parametrize("variant, canonical", [
    ("CLNet framework", "CLNet"), ("pre-trained BERT model", "BERT"), ("FooNet methods", "FooNet"),
])
def test_name_with_a_generic_head_is_the_name(nlp, variant, canonical):
    # the mention is the name itself, with the name's concept
    got = found(nlp, f"We use {canonical} first. Then the {variant} helps.")
    assert [t for t, _y, _c in got] == [canonical, canonical]
    assert len({cid for _t, _y, cid in got}) == 1


@pytest.mark.parametrize("text, mention", [
    ("We propose a gradient-based pruning approach for it.", "gradient-based pruning"),
    ("These distillation techniques fail on long inputs.", "distillation"),
    ("The Token Merging technique speeds it up.", "Token Merging"),
    ("A Cross-View Consistency mechanism aligns the views.", "Cross-View Consistency"),
    ("A contrastive loss function aligns the two views.", "contrastive loss"),
    ("Noise is removed by a post-processing scheme.", "post-processing"),
])
def test_a_method_before_a_word_for_its_kind_is_the_method(nlp, text, mention):
    # "X approach", "X techniques", "X loss function" name X: one concept, not one per kind word
    assert mention in [t for t, _y, _c in found(nlp, text)]


@pytest.mark.parametrize("text, mention", [
    ("The pool is updated by a self-evolving mechanism.", "self-evolving mechanism"),  # an adjective, not a method
    ("We apply first-order pooling to the features.", "first-order pooling"),    # a compound stays whole
    ("We train it with prohibitively expensive pre-training.", "pre-training"),  # adverb, then evaluation
    ("It improves over vanilla transformers.", "transformers"),
    ("DynaKV is the first method to allocate the cache.", "DynaKV"),
])
def test_evaluative_words_are_trimmed_but_compounds_stay(nlp, text, mention):
    texts = [t for t, _y, _c in found(nlp, text)]
    assert mention in texts and not any(t.startswith(("first ", "vanilla ", "expensive ")) for t in texts)


@pytest.mark.parametrize("text, mention", [
    ("The model is adapted by contrastive preference tuning.", "contrastive preference tuning"),
    ("It defends against gradient inversion attacks.", "gradient inversion attacks"),
    ("Images are sampled with energy-based guidance.", "energy-based guidance"),
    ("Scenes are drawn by volumetric rendering.", "volumetric rendering"),
    ("We solve it by bilevel optimization.", "bilevel optimization"),
    ("Features are merged by cross-attention fusion.", "cross-attention fusion"),
])
def test_method_phrases_named_by_their_head(nlp, text, mention):
    # 2025-26 method names end in words for what is done: tuning, attacks, guidance, rendering
    assert (mention, "method") in [(t, y) for t, y, _c in found(nlp, text)]


def test_mllm_forms_are_one_concept(nlp):
    got = found(nlp, "MLLMs and Multimodal LLMs and multimodal large language models and Multi-modal LLMs.")
    assert len({cid for _t, _y, cid in got}) == 1


def test_in_context_learning_in_a_title(nlp):
    got = found(nlp, "We study it.", titles=["In-Context Learning Is Provably Bayesian"])
    assert ("In-Context Learning", "method", "in-context-learning") in got


@pytest.mark.parametrize("text, surface, wrong", [
    ("Results on MIMIC-IV improve.", "MIMIC-IV", "mimic-iii"),
    ("Results on MIMIC-CXR improve.", "MIMIC-CXR", "mimic-iii"),
    ("We use DINOv2 features.", "DINOv2", "dino"),
    ("Each denoising step of the diffusion model is cheap.", "denoising", "image-denoising"),
    ("The agent learns navigation from video.", "navigation", "robot-navigation"),
    ("Parts are drawn in CAD by engineers.", "CAD", "disease-classification"),
    ("Unlike the original dense networks, ours are sparse.", "dense networks", "densenet"),
])
def test_no_wrong_merges_from_broad_aliases(nlp, text, surface, wrong):
    got = {t: cid for t, _y, cid in found(nlp, text)}
    assert got.get(surface) != wrong


# -- genericness from corpus statistics ------------------------------------------------------------

def test_widespread_plain_words_are_generic(nlp):
    abstracts = [f"We improve diversity of outputs with Frobnet{i}." for i in range(30)]
    _m, concepts = run(nlp, *abstracts)
    row = concepts.set_index("label").loc
    assert bool(row["diversity", "generic"]) and not bool(row["Frobnet0", "generic"])


def test_sota_and_downstream_tasks_are_generic(nlp):
    _m, concepts = run(nlp, "We beat SOTA on downstream tasks with Frobnet.")
    generic = dict(zip(concepts.label, concepts.generic))
    assert generic.get("SOTA", True) and generic.get("downstream tasks", True)


def test_title_line_repeated_in_the_abstract_is_title_case(nlp):
    title = "Walled Gardens of Agentic Computing"
    got = found(nlp, title + "\n\nWe study Walled Gardens and FooNet.", titles=[title])
    texts = [t for t, _y, _c in got]
    assert "Agentic Computing" not in texts and "FooNet" in texts


def test_generic_framework_phrases_need_a_name(nlp):
    texts = [t for t, _y, _c in found(nlp, "A unified assessment framework and the CLNet framework and an agent process.")]
    assert "assessment framework" not in texts and "CLNet" in texts


@pytest.mark.parametrize("text, junk", [
    ("As LLMs increasingly function as judges, bias matters.", "increasingly function"),
    ("We propose to simultaneously model two people.", "simultaneously model"),
    ("A benchmark to probe representation-invariant reasoning.", "probe representation-invariant reasoning"),
    ("It reaches rFID 0.08 on ImageNet.", "rFID 0.08"),
    ("Context raised help prediction by up to 50.2pp overall.", "50.2pp"),
    ("LLMs are multilingual despite English-dominated pre-training.", "despite English-dominated pre-training"),
])
def test_verb_phrases_and_values_are_not_concepts(nlp, text, junk):
    assert junk not in [t for t, _y, _c in found(nlp, text)]


def test_adverbs_before_participles_stay(nlp):
    assert "fully connected layers" in [t for t, _y, _c in found(nlp, "It stacks fully connected layers.")]


@pytest.mark.parametrize("text, surface, typ", [
    ("We compare ViT-Small and Swin-Tiny.", "ViT-Small", "architecture"),
    ("Built upon the Qwen3 language model, ours is small.", "Qwen3", "architecture"),
    ("It is built on the MoE++ architecture.", "MoE++", "architecture"),
    ("We release the APEX-Bench framework for agents.", "APEX-Bench", "dataset"),
])
def test_types_of_names_with_sizes_and_heads(nlp, text, surface, typ):
    assert (surface, typ) in [(t, y) for t, y, _c in found(nlp, text)]


def test_long_form_starts_at_the_start_of_a_hyphenated_word(nlp):
    got = found(nlp, "Models learn by in-weights learning (IWL) or from one-light-at-a-time (OLAT) captures.")
    texts = [t for t, _y, _c in got]
    assert "in-weights learning" in texts and "one-light-at-a-time" in texts
    assert not any(t.startswith("-") for t in texts)


# -- datasets named without a cue word next to them (session 24) -------------------------

def test_a_dataset_reading_in_one_sentence_types_the_others(nlp):
    got = found(nlp, "We introduce PROMPTFORGE, a human-verified prompt set. Models using PROMPTFORGE "
                     "err often, and PROMPTFORGE remains hard.")
    assert {y for t, y, _c in got if t == "PROMPTFORGE"} == {"dataset"}


def test_a_phrase_runs_across_a_line_break(nlp):
    got = found(nlp, "We rely on a cluster-aware\nhierarchical pooling module for scheduling.")
    assert ("cluster-aware\nhierarchical pooling module", "method") in [(t, y) for t, y, _c in got], got


# -- a mention is the part of a phrase that names the concept (session 24) ----------------

@pytest.mark.parametrize("text, mention", [
    ("We deploy our Frobly framework on edge devices.", "Frobly"),
    ("We fine-tune the pre-trained BERT model on claims.", "BERT"),
    ("Transformer-based models dominate.", "Transformer"),
    ("Experiments use the ZAQA dataset of complaints.", "ZAQA"),
    ("We propose an entropy-based pruning strategy for LLMs.", "entropy-based pruning"),
    ("Even commercial foundation models fail here.", "foundation models"),
])
def test_mention_is_the_naming_part(nlp, text, mention):
    assert mention in [t for t, _y, _c in found(nlp, text)]


@pytest.mark.parametrize("text, mention", [
    ("The MT system translates news.", "MT system"),   # a system for a task, not the task
])
def test_core_keeps_the_phrase_when_the_lexicon_disagrees(nlp, text, mention):
    assert mention in [t for t, _y, _c in found(nlp, text)]


def test_relational_adjectives_make_no_concept(nlp):
    got = [t for t, _y, _c in found(nlp, "The complementary modules refine the base model.")]
    assert not any(t in ("complementary modules", "base model") for t in got), got


def test_names_inside_latex_markup(nlp):
    got = found(nlp, "We develop and release the \\textbf{ZQ-MMBench}, a new benchmark for short videos.")
    assert ("ZQ-MMBench", "dataset") in [(t, y) for t, y, _c in got]


@pytest.mark.parametrize("text, name", [
    ("Livatar achieves a 8.50 LipSync Confidence on talking heads.", "LipSync Confidence"),
    ("It reaches an FLQ of 0.035 on motion data.", "FLQ"),
    ("On unpaired video, ZNIQ decreases from 6.22 to 4.97.", "ZNIQ"),
])
def test_a_name_next_to_a_decimal_value_is_a_metric(nlp, text, name):
    assert (name, "metric") in [(t, y) for t, y, _c in found(nlp, text)]


# -- session 25: precision on recent text -----------------------------------------------------

@pytest.mark.parametrize("name", ["Qwen2.5-0.5B", "Llama-3.2-1B-Instruct", "Gemma-2-2b-it"])
def test_a_model_size_and_variant_stay_on_its_name(nlp, name):
    # (a size "0.5B" after a hyphen is no score; "-it", "-Instruct" end the name)
    assert (name, "architecture") in [(t, y) for t, y, _c in found(nlp, f"We fine-tune {name} on the data.")]


@pytest.mark.parametrize("text, junk", [
    ("Advances in AI and ML reshape SOTA models.", {"AI", "ML", "SOTA"}),
    ("It runs on GPUs and NPUs with little VRAM usage.", {"GPUs", "NPUs", "VRAM"}),
])
def test_fields_hype_words_and_hardware_are_not_concepts(nlp, text, junk):
    assert not junk & {t for t, _y, _c in found(nlp, text)}


def test_a_name_ending_in_a_measure_is_a_metric(nlp):
    got = found(nlp, "We score the answers with BERTScore F1 and ROUGE-L recall.")
    assert {(t, y) for t, y, _c in got} >= {("BERTScore F1", "metric"), ("ROUGE-L recall", "metric")}


def test_a_verb_after_a_modal_opens_no_phrase(nlp):
    got = [t for t, _y, _c in found(nlp, "Existing schedulers cannot handle concurrent inference of DNNs.")]
    assert "handle concurrent inference" not in got and "concurrent inference" in got


@pytest.mark.parametrize("text, junk, kept", [
    ("Detectors fail, while directly incorporating 3D open-vocabulary models helps.",
     "incorporating 3D open-vocabulary models", "3D open-vocabulary models"),
    ("We use a multi-stage training strategy leveraging flow matching.",
     "multi-stage training strategy leveraging flow matching", "flow matching"),
    ("It covers tasks spanning natural language understanding.",
     "spanning natural language understanding", "natural language understanding"),
])
def test_an_ing_verb_after_an_adverb_a_plural_or_a_kind_word_ends_the_phrase(nlp, text, junk, kept):
    got = [t for t, _y, _c in found(nlp, text)]
    assert junk not in got and kept in got


@pytest.mark.parametrize("text, name, typ", [
    ("We construct TexBlender, a high-quality SFT dataset made with Blender.", "SFT", "method"),
    ("Across four challenging MARL benchmarks, we win.", "MARL", "method"),
])
def test_data_for_a_known_method_is_not_a_dataset(nlp, text, name, typ):
    got = [(t, y) for t, y, _c in found(nlp, text)]
    assert (name, typ) in got and not any(y == "dataset" and name in t for t, y in got)


@pytest.mark.parametrize("text, junk, kept", [
    ("We train a ResNet-50 classifier on the images.", "ResNet-50 classifier", "ResNet-50"),
    ("We compare prominent open-weights models.", "prominent open-weights models", "open-weights models"),
    ("We use the available Phase-OTDR dataset.", "available Phase-OTDR dataset", "Phase-OTDR"),
])
def test_a_classifier_head_and_evaluative_words_leave_the_name(nlp, text, junk, kept):
    got = [t for t, _y, _c in found(nlp, text)]
    assert junk not in got and kept in got


# -- judged round 4 (lines 40,001-45,000): mechanisms behind its errors ---------------------

def test_no_phrase_runs_over_a_sentence_end_after_a_mixed_case_name(nlp):
    # English keeps a period after a capital ("U.S."); after "ViT" it ends the sentence
    texts = [t for t, _y, _c in found(nlp, "It matches the accuracy of ViT. Leveraging dual decomposition, we go on.")]
    assert "ViT" in texts and not any("." in t for t in texts)


def test_a_label_is_on_one_line(nlp):
    _mentions, concepts = run(nlp, "First, we introduce a layer-wise\nimportance score to rank layers.")
    assert "layer-wise importance score" in set(concepts.label)
    assert not concepts.label.str.contains("\n").any()


# -- term-hood: descriptions, outputs, places and venues are no concepts ---------------

@pytest.mark.parametrize("text, junk, kept", [
    ("We build a generalizable detector from holistic embeddings.", ["generalizable detector",
                                                                     "holistic embeddings"], []),
    ("The agents learn heterogeneous backbones for rapid object localization.", ["heterogeneous backbones"],
     ["object localization"]),
])
def test_a_descriptive_adjective_before_a_head_word_is_no_concept(nlp, text, junk, kept):
    texts = [t for t, _y, _c in found(nlp, text)]
    assert not set(junk) & set(texts), texts
    assert set(kept) <= set(texts), texts


def test_a_title_case_title_describing_its_data_names_no_dataset(nlp):
    got = found(nlp, "We record speech in twelve districts.", "We rank options.",
                titles=["VoxDist12: A Regional Corpus of Spontaneous Speech",
                        "Supplier Selection via Fuzzy Analytic Hierarchy Process"])
    texts = {t: y for t, y, _c in got}
    assert "Regional Corpus" not in texts and "VoxDist12" in texts
    assert texts.get("Fuzzy Analytic Hierarchy Process") == "method"


def test_plural_outputs_of_a_task_are_not_the_task(nlp):
    got = found(nlp, "We compare the grade predictions with reference segmentations for trajectory prediction.")
    texts = {t: y for t, y, _c in got}
    assert not {"grade predictions", "reference segmentations", "segmentations"} & set(texts), texts
    assert texts.get("trajectory prediction") == "task"


def test_places_and_venues_are_no_methods(nlp):
    got = found(nlp, "Texts from Sri Lanka and North America were used. The study appeared at WINE 2024 "
                     "and in Planetary Science Letters. We evaluate on BraTS 2021.")
    texts = {t for t, _y, _c in got}
    assert not {"Sri Lanka", "North America", "WINE 2024", "Planetary Science Letters"} & texts, texts
    assert "BraTS 2021" in texts
