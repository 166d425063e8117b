// Hugging Face export of dense / AQLM / integer models and exact block snapshots.
// Formats: see quantized_checkpoint.h and docs/FORMATS.md.
#include "engine/quant/quantized_checkpoint.h"

#include "engine/api/engine_error.h"
#include "engine/io/atomic_file.h"
#include "engine/io/safetensors.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/layers/hf_quantized_layout.h"
#include "engine/layers/int_linear.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace aqlm {
namespace {

constexpr const char* kBlockFormat = "aqlm-studio-block";

std::string intSchemeText(const IntLinear& l) {
    return std::string(quantMethodName(l.method())) + " " + intSchemeLabel(l.quantized().bits, l.quantized().groupSize);
}

}  // namespace

std::string exportedTokenizerName(const std::string& tokenizerPath) {
    const fs::path p(tokenizerPath);
    const std::string name = p.filename().string();
    if (p.extension() == ".model") return "tokenizer.model";
    if (p.extension() == ".bin") {
        // Keep names that findTokenizerFor() discovers; anything else becomes tokenizer.bin.
        if (name == "tokenizer.bin" || name.rfind("tok", 0) == 0) return name;
        return "tokenizer.bin";
    }
    return name;
}

namespace {

// The one quantization every quantized projection shares (what quantization_config can describe);
// kind None for a dense model. Throws EngineError naming the first layer that differs.
HfQuantization sharedQuantization(const LlamaModel& model, const std::string& outDir) {
    const AqlmLinear* firstAqlm = nullptr;
    const IntLinear* firstInt = nullptr;
    for (int64_t l = 0; l < model.numBlocks(); ++l) {
        for (Sublayer s : kAllSublayers) {
            const Linear& lin = model.block(l).linear(s);
            const std::string name = "model.layers." + std::to_string(l) + "." + sublayerName(s);
            if (const auto* a = dynamic_cast<const AqlmLinear*>(&lin)) {
                if (!firstAqlm) firstAqlm = a;
                else if (a->scheme().toString() != firstAqlm->scheme().toString())
                    throw EngineError(outDir, "layers use different AQLM schemes (" + firstAqlm->scheme().toString() +
                                                  " and " + a->scheme().toString() + " in " + name + ")",
                                      "the Hugging Face format describes one scheme per model");
            } else if (const auto* q = dynamic_cast<const IntLinear*>(&lin)) {
                if (!firstInt) firstInt = q;
                else if (intSchemeText(*q) != intSchemeText(*firstInt))
                    throw EngineError(outDir, "layers use different integer schemes (" + intSchemeText(*firstInt) +
                                                  " and " + intSchemeText(*q) + " in " + name + ")");
            }
        }
    }
    if (firstAqlm && firstInt)
        throw EngineError(outDir, "the model mixes AQLM and integer layers; one file format cannot describe both");
    HfQuantization q;
    if (firstAqlm) {
        q.kind = HfQuantization::Kind::Aqlm;
        q.scheme = firstAqlm->scheme();
    } else if (firstInt) {
        q.kind = HfQuantization::Kind::Int;
        q.method = firstInt->method();
        q.bits = firstInt->quantized().bits;
        q.groupSize = firstInt->quantized().groupSize;
    }
    return q;
}

// Every tensor of the model in Hugging Face naming and row order; keptIn16 lists the 16-bit ones.
void collectHfTensors(const LlamaModel& model, TensorList& tensors, nlohmann::json& keptIn16) {
    const ModelConfig& c = model.config();
    auto add16 = [&](const std::string& name, const at::Tensor& t) {
        tensors.addF16(name, t);
        keptIn16.push_back(name);
    };
    // Dense layers as stored when already 16-bit (no fp32 detour).
    auto stored = [](const Linear& lin) {
        const auto* dense = dynamic_cast<const DenseLinear*>(&lin);
        return dense ? dense->storedWeight() : lin.denseWeight();
    };
    add16("model.embed_tokens.weight", model.embedding());
    for (int64_t l = 0; l < model.numBlocks(); ++l) {
        const LlamaBlock& b = model.block(l);
        const std::string layer = "model.layers." + std::to_string(l) + ".";
        add16(layer + "input_layernorm.weight", b.attnNorm);
        add16(layer + "post_attention_layernorm.weight", b.ffnNorm);
        for (Sublayer s : kAllSublayers) {
            const Linear& lin = b.linear(s);
            const std::string p = layer + sublayerName(s);
            const int64_t ropeHeads = s == Sublayer::Q ? c.nHeads : s == Sublayer::K ? c.nKvHeads : 0;
            if (addHfQuantizedLinear(tensors, lin, p, ropeHeads, c.ropeLayout)) continue;
            const at::Tensor w = stored(lin);
            add16(p + ".weight", ropeHeads ? reorderRopeRows(w, ropeHeads, c.ropeLayout, RopeLayout::RotateHalf) : w);
        }
    }
    add16("model.norm.weight", model.finalNorm());
    if (model.lmHead()) add16("lm_head.weight", stored(*model.lmHead()));
    // transformers builds an lm_head Linear even when it is tied to the embedding, and quantizes
    // every Linear whose weight is not listed: list it in both cases.
    else keptIn16.push_back("lm_head.weight");
}

// The tokenizer, its side files, a minimal tokenizer_config.json and generation_config.json.
void writeTokenizerFiles(const ModelConfig& c, const fs::path& dir, const std::string& tokenizerPath) {
    std::error_code ec;
    if (!tokenizerPath.empty()) {
        const fs::path tok(tokenizerPath);
        if (!fs::is_regular_file(tok, ec)) throw EngineError(tokenizerPath, "tokenizer file not found");
        copyFileAtomically(tok.string(), (dir / exportedTokenizerName(tokenizerPath)).string());
        for (const char* side : {"tokenizer.json", "special_tokens_map.json", "tokenizer_config.json"}) {
            const fs::path src = tok.parent_path().empty() ? fs::path(side) : tok.parent_path() / side;
            if (fs::is_regular_file(src, ec)) copyFileAtomically(src.string(), (dir / side).string());
        }
    }
    const bool sentencePiece = !tokenizerPath.empty() && fs::path(tokenizerPath).extension() == ".model";
    if (!fs::exists(dir / "tokenizer_config.json", ec)) {
        nlohmann::ordered_json tc;
        if (sentencePiece) tc["tokenizer_class"] = "LlamaTokenizer";
        tc["add_bos_token"] = true;
        tc["add_eos_token"] = false;
        tc["model_max_length"] = c.maxSeqLen;
        writeFileAtomically((dir / "tokenizer_config.json").string(), tc.dump(2) + "\n");
    }
    nlohmann::ordered_json gen;
    gen["_from_model_config"] = true;
    gen["bos_token_id"] = c.bosId;
    gen["eos_token_id"] = c.eosId;
    writeFileAtomically((dir / "generation_config.json").string(), gen.dump(2) + "\n");
}

nlohmann::ordered_json hfConfigJson(const ModelConfig& c, bool tied, const HfQuantization& quant,
                                    const nlohmann::json& keptIn16, const nlohmann::json& extraConfig,
                                    const std::string& outDir) {
    nlohmann::ordered_json config;
    config["architectures"] = {"LlamaForCausalLM"};
    config["model_type"] = "llama";
    config["hidden_size"] = c.dim;
    config["intermediate_size"] = c.hiddenDim;
    config["num_hidden_layers"] = c.nLayers;
    config["num_attention_heads"] = c.nHeads;
    config["num_key_value_heads"] = c.nKvHeads;
    config["vocab_size"] = c.vocabSize;
    config["max_position_embeddings"] = c.maxSeqLen;
    config["rope_theta"] = c.ropeTheta;
    config["rms_norm_eps"] = c.rmsNormEps;
    config["tie_word_embeddings"] = tied;
    config["bos_token_id"] = c.bosId;
    config["eos_token_id"] = c.eosId;
    config["hidden_act"] = "silu";
    config["attention_bias"] = false;
    config["mlp_bias"] = false;
    config["torch_dtype"] = "float16";
    config["use_cache"] = true;
    if (quant.kind != HfQuantization::Kind::None) config["quantization_config"] = hfQuantizationJson(quant, keptIn16);
    if (extraConfig.is_object()) {
        for (const auto& item : extraConfig.items()) {
            if (config.contains(item.key()))
                throw EngineError(outDir, "extra config key '" + item.key() + "' would overwrite a model field");
            config[item.key()] = item.value();
        }
    }
    return config;
}

}  // namespace

void writeHfModel(const LlamaModel& model, const std::string& outDir, const std::string& tokenizerPath,
                  const nlohmann::json& extraConfig) {
    const fs::path dir(outDir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) throw EngineError(outDir, "cannot create the output folder: " + ec.message());
    if (!extraConfig.is_null() && !extraConfig.is_object())
        throw EngineError(outDir, "extra config must be a JSON object");
    // A folder without config.json is an unfinished export (it is written last).
    fs::remove(dir / "config.json", ec);
    if (ec) throw EngineError((dir / "config.json").string(), "cannot remove the old config: " + ec.message());

    const HfQuantization quant = sharedQuantization(model, outDir);
    TensorList tensors;
    nlohmann::json keptIn16 = nlohmann::json::array();
    collectHfTensors(model, tensors, keptIn16);
    writeSafetensors((dir / "model.safetensors").string(), tensors.list(), {{"format", "pt"}});
    writeTokenizerFiles(model.config(), dir, tokenizerPath);
    const auto config = hfConfigJson(model.config(), model.lmHead() == nullptr, quant, keptIn16, extraConfig, outDir);
    writeFileAtomically((dir / "config.json").string(), config.dump(2) + "\n");
}

static const char* ropeLayoutName(RopeLayout layout) {
    return layout == RopeLayout::RotateHalf ? "rotate_half" : "interleaved";
}

void saveBlockCheckpoint(const LlamaBlock& block, const std::string& path, RopeLayout rows) {
    TensorList tensors;
    std::map<std::string, std::string> meta{{"format", kBlockFormat}, {"version", "1"},
                                            {"rope_layout", ropeLayoutName(rows)}};
    if (!block.attnNorm.defined() || !block.ffnNorm.defined())
        throw EngineError(path, "cannot checkpoint a block without its norms");
    tensors.addF32("attn_norm", block.attnNorm);
    tensors.addF32("ffn_norm", block.ffnNorm);
    for (Sublayer s : kAllSublayers) {
        const std::string n = sublayerName(s);
        const Linear& lin = block.linear(s);
        if (const auto* a = dynamic_cast<const AqlmLinear*>(&lin)) {
            tensors.addI32(n + ".codes", a->codes());
            tensors.addF32(n + ".codebooks", a->codebooks());
            tensors.addF32(n + ".scales", a->scales());
            meta[n + ".kind"] = "aqlm";
            meta[n + ".scheme"] = a->scheme().toString();
        } else if (const auto* q = dynamic_cast<const IntLinear*>(&lin)) {
            const IntQuantized& iq = q->quantized();
            tensors.addU8(n + ".qweight", iq.qweight);
            tensors.addF32(n + ".scales", iq.scales);
            tensors.addF32(n + ".zeros", iq.zeros);
            tensors.addI32(n + ".g_idx", iq.groupIndex);
            meta[n + ".kind"] = "int";
            meta[n + ".scheme"] = intSchemeText(*q);
            meta[n + ".method"] = quantMethodName(q->method());
            meta[n + ".bits"] = std::to_string(iq.bits);
            meta[n + ".group_size"] = std::to_string(iq.groupSize);
        } else {
            tensors.addF32(n + ".weight", lin.denseWeight());
            meta[n + ".kind"] = "dense";
        }
    }
    writeSafetensors(path, tensors.list(), meta);
}

namespace {

// Exact copy of a stored tensor (the dtype must be the one the block writer uses).
at::Tensor exactTensor(const SafetensorsFile& file, const std::string& name, DType dtype,
                       const std::vector<int64_t>& shape) {
    if (!file.contains(name)) throw EngineError(file.path(), "tensor " + name + " is missing from the block checkpoint");
    const TensorView& v = file.tensor(name);
    if (v.dtype != dtype)
        throw EngineError(file.path(), "tensor " + name + " is " + dtypeName(v.dtype) + ", expected " + dtypeName(dtype));
    if (!shape.empty() && v.shape != shape)
        throw EngineError(file.path(), "tensor " + name + " has shape " + shapeText(v.shape) + ", expected " +
                                           shapeText(shape));
    const at::ScalarType type = dtype == DType::F32 ? at::kFloat : dtype == DType::I32 ? at::kInt : at::kByte;
    at::Tensor t = at::empty(v.shape, type);
    if (t.nbytes() != v.byteSize) throw EngineError(file.path(), "tensor " + name + " has an inconsistent size");
    if (v.byteSize) std::memcpy(t.data_ptr(), v.data, v.byteSize);
    return t;
}

int metaInt(const SafetensorsFile& file, const std::string& key) {
    auto it = file.metadata().find(key);
    if (it == file.metadata().end()) throw EngineError(file.path(), "metadata '" + key + "' is missing");
    try {
        return std::stoi(it->second);
    } catch (const std::exception&) {
        throw EngineError(file.path(), "metadata '" + key + "' = '" + it->second + "' is not an integer");
    }
}

}  // namespace

void loadBlockCheckpoint(LlamaBlock& block, const std::string& path, RopeLayout rows) {
    SafetensorsFile file(path);
    const auto& meta = file.metadata();
    // Files without the key come from versions that ran every model in interleaved order.
    auto layout = meta.find("rope_layout");
    const std::string stored = layout == meta.end() ? "interleaved" : layout->second;
    if (stored != ropeLayoutName(rows))
        throw EngineError(path, "this unfinished run was saved with q/k rows in " + stored + " order, but the model "
                                "now runs in " + ropeLayoutName(rows) + " order",
                          "start the compression again in a new output folder");
    auto format = meta.find("format");
    if (format == meta.end() || format->second != kBlockFormat)
        throw EngineError(path, "not an AQLM Studio block checkpoint (metadata format is not '" +
                                    std::string(kBlockFormat) + "')");
    auto version = meta.find("version");
    if (version == meta.end() || version->second != "1")
        throw EngineError(path, "unsupported block checkpoint version '" +
                                    (version == meta.end() ? std::string() : version->second) + "'");

    // Build everything first; the block is only modified once the whole file has been validated.
    std::vector<int64_t> normShape;
    if (block.attnNorm.defined()) normShape = block.attnNorm.sizes().vec();
    at::Tensor attnNorm = exactTensor(file, "attn_norm", DType::F32, normShape);
    at::Tensor ffnNorm = exactTensor(file, "ffn_norm", DType::F32, attnNorm.sizes().vec());
    std::vector<std::unique_ptr<Linear>> linears;
    for (Sublayer s : kAllSublayers) {
        const std::string n = sublayerName(s);
        const std::unique_ptr<Linear>& current = block.linear(s);
        const int64_t dOut = current ? current->outFeatures() : -1, dIn = current ? current->inFeatures() : -1;
        auto kindIt = meta.find(n + ".kind");
        if (kindIt == meta.end()) throw EngineError(path, "metadata '" + n + ".kind' is missing");
        const std::string& kind = kindIt->second;
        auto checkDims = [&](int64_t out, int64_t in) {
            if (current && (out != dOut || in != dIn))
                throw EngineError(path, n + " is " + std::to_string(out) + "x" + std::to_string(in) +
                                            " in the checkpoint but " + std::to_string(dOut) + "x" +
                                            std::to_string(dIn) + " in the model");
        };
        if (kind == "dense") {
            at::Tensor w = exactTensor(file, n + ".weight", DType::F32, {});
            if (w.dim() != 2) throw EngineError(path, "tensor " + n + ".weight must be 2-D");
            checkDims(w.size(0), w.size(1));
            linears.push_back(std::make_unique<DenseLinear>(w));
        } else if (kind == "aqlm") {
            auto schemeIt = meta.find(n + ".scheme");
            if (schemeIt == meta.end()) throw EngineError(path, "metadata '" + n + ".scheme' is missing");
            QuantScheme scheme;
            try {
                scheme = QuantScheme::parse(schemeIt->second);
            } catch (const EngineError& e) {
                throw EngineError(path, n + ": " + e.problem());
            }
            at::Tensor codes = exactTensor(file, n + ".codes", DType::I32, {});
            if (codes.dim() != 3 || codes.size(2) != scheme.numCodebooks)
                throw EngineError(path, "tensor " + n + ".codes has shape " + shapeText(codes.sizes().vec()) +
                                            ", expected [d_out, d_in/g, " + std::to_string(scheme.numCodebooks) + "]");
            checkDims(codes.size(0), codes.size(1) * scheme.inGroupSize);
            if (codes.numel() && (codes.min().item<int32_t>() < 0 || codes.max().item<int64_t>() >= scheme.codebookSize()))
                throw EngineError(path, "tensor " + n + ".codes has values outside [0, 2^" +
                                            std::to_string(scheme.nbitsPerCodebook) + ")");
            at::Tensor codebooks = exactTensor(file, n + ".codebooks", DType::F32,
                                               {scheme.numCodebooks, scheme.codebookSize(), 1, scheme.inGroupSize});
            at::Tensor scales = exactTensor(file, n + ".scales", DType::F32, {codes.size(0), 1, 1, 1});
            linears.push_back(std::make_unique<AqlmLinear>(codes, codebooks, scales, scheme));
        } else if (kind == "int") {
            auto methodIt = meta.find(n + ".method");
            if (methodIt == meta.end()) throw EngineError(path, "metadata '" + n + ".method' is missing");
            IntQuantized iq;
            iq.bits = metaInt(file, n + ".bits");
            iq.groupSize = metaInt(file, n + ".group_size");
            iq.qweight = exactTensor(file, n + ".qweight", DType::U8, {});
            if (iq.qweight.dim() != 2) throw EngineError(path, "tensor " + n + ".qweight must be 2-D");
            checkDims(iq.qweight.size(0), iq.qweight.size(1));
            iq.scales = exactTensor(file, n + ".scales", DType::F32, {});
            if (iq.scales.dim() != 2 || iq.scales.size(0) != iq.qweight.size(0))
                throw EngineError(path, "tensor " + n + ".scales has shape " + shapeText(iq.scales.sizes().vec()) +
                                            ", expected [d_out, n_groups]");
            iq.zeros = exactTensor(file, n + ".zeros", DType::F32, iq.scales.sizes().vec());
            iq.groupIndex = exactTensor(file, n + ".g_idx", DType::I32, {iq.qweight.size(1)});
            if (iq.groupIndex.numel() &&
                (iq.groupIndex.min().item<int32_t>() < 0 || iq.groupIndex.max().item<int32_t>() >= iq.scales.size(1)))
                throw EngineError(path, "tensor " + n + ".g_idx has groups outside [0, " +
                                            std::to_string(iq.scales.size(1)) + ")");
            linears.push_back(std::make_unique<IntLinear>(std::move(iq), parseQuantMethod(methodIt->second)));
        } else {
            throw EngineError(path, "unknown layer kind '" + kind + "' for " + n);
        }
    }
    block.attnNorm = attnNorm;
    block.ffnNorm = ffnNorm;
    size_t i = 0;
    for (Sublayer s : kAllSublayers) block.linear(s) = std::move(linears[i++]);
}

int64_t modelFolderBytes(const std::string& dir) {
    int64_t total = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.is_regular_file()) total += static_cast<int64_t>(e.file_size());
    return total;
}

}  // namespace aqlm
