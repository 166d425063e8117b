#include "engine/model/model_loader.h"

#include "engine/api/engine_error.h"
#include "engine/io/hf_config.h"
#include "engine/io/llama2c_checkpoint.h"
#include "engine/io/safetensors.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/layers/int_linear.h"

#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace aqlm {
namespace {

at::Tensor tensorFromView(const TensorView& view, const std::string& file) {
    std::vector<float> values = toFloat32(view);
    auto t = at::empty(view.shape, at::kFloat);
    if (static_cast<int64_t>(values.size()) != t.numel())
        throw EngineError(file, "tensor " + view.name + " has an inconsistent size");
    std::memcpy(t.data_ptr<float>(), values.data(), values.size() * sizeof(float));
    return t;
}

void expectShape(const std::string& file, const std::string& name, const std::vector<int64_t>& actual,
                 const std::vector<int64_t>& expected) {
    if (actual == expected) return;
    auto str = [](const std::vector<int64_t>& s) {
        std::string r = "[";
        for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
        return r + "]";
    };
    throw EngineError(file, "tensor " + name + " has shape " + str(actual) + " but the config implies " +
                                str(expected));
}

std::string firstMatch(const fs::path& dir, const std::string& prefix, const std::string& ext) {
    std::set<std::string> found;  // sorted for a deterministic choice
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ext) found.insert(entry.path().string());
    }
    return found.empty() ? std::string() : *found.begin();
}

// Per-layer expected shapes in HF naming.
std::vector<std::pair<std::string, std::vector<int64_t>>> expectedTensors(const ModelConfig& c) {
    std::vector<std::pair<std::string, std::vector<int64_t>>> out;
    const int64_t D = c.dim, F = c.hiddenDim, KV = c.kvDim();
    out.push_back({"model.embed_tokens.weight", {c.vocabSize, D}});
    out.push_back({"model.norm.weight", {D}});
    for (int64_t l = 0; l < c.nLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        out.push_back({p + "input_layernorm.weight", {D}});
        out.push_back({p + "post_attention_layernorm.weight", {D}});
        out.push_back({p + "self_attn.q_proj.weight", {D, D}});
        out.push_back({p + "self_attn.k_proj.weight", {KV, D}});
        out.push_back({p + "self_attn.v_proj.weight", {KV, D}});
        out.push_back({p + "self_attn.o_proj.weight", {D, D}});
        out.push_back({p + "mlp.gate_proj.weight", {F, D}});
        out.push_back({p + "mlp.up_proj.weight", {F, D}});
        out.push_back({p + "mlp.down_proj.weight", {D, F}});
    }
    return out;
}

using TensorGetter = std::function<at::Tensor(const std::string&)>;
// Builds the projection stored under prefix p ("model.layers.0.self_attn.q_proj") with the given
// shape; ropeHeads > 0 for q/k (rows may need the rotate-half -> interleaved permutation).
using LinearGetter =
    std::function<std::unique_ptr<Linear>(const std::string& p, int64_t dOut, int64_t dIn, int64_t ropeHeads)>;

std::unique_ptr<LlamaModel> assemble(const ModelConfig& c, const TensorGetter& get, const LinearGetter& linear) {
    const int64_t D = c.dim, F = c.hiddenDim, KV = c.kvDim();
    std::vector<LlamaBlock> blocks;
    for (int64_t l = 0; l < c.nLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        LlamaBlock b;
        b.attnNorm = get(p + "input_layernorm.weight");
        b.ffnNorm = get(p + "post_attention_layernorm.weight");
        b.q = linear(p + "self_attn.q_proj", D, D, c.nHeads);
        b.k = linear(p + "self_attn.k_proj", KV, D, c.nKvHeads);
        b.v = linear(p + "self_attn.v_proj", KV, D, 0);
        b.o = linear(p + "self_attn.o_proj", D, D, 0);
        b.gate = linear(p + "mlp.gate_proj", F, D, 0);
        b.up = linear(p + "mlp.up_proj", F, D, 0);
        b.down = linear(p + "mlp.down_proj", D, F, 0);
        blocks.push_back(std::move(b));
    }
    std::unique_ptr<Linear> head;
    if (!c.tiedEmbeddings) head = std::make_unique<DenseLinear>(get("lm_head.weight"));
    return std::make_unique<LlamaModel>(c, get("model.embed_tokens.weight"), std::move(blocks),
                                        get("model.norm.weight"), std::move(head));
}

// Dense projections read through `get` under p + ".weight".
LinearGetter denseLinears(const TensorGetter& get, bool hfRopeOrder) {
    return [get, hfRopeOrder](const std::string& p, int64_t, int64_t, int64_t ropeHeads) -> std::unique_ptr<Linear> {
        at::Tensor w = get(p + ".weight");
        if (hfRopeOrder && ropeHeads > 0) w = hfToInterleavedRows(w, ropeHeads);
        return std::make_unique<DenseLinear>(w);
    };
}

LoadedModel loadLlama2c(const std::string& path) {
    Llama2cCheckpoint checkpoint(path);
    const ModelConfig& c = checkpoint.config();
    auto get = [&](const std::string& name) {
        const auto& t = checkpoint.tensors().at(name);
        // Copy out of the mapping: the model must outlive the file.
        return at::from_blob(const_cast<float*>(t.data), t.shape, at::kFloat).clone();
    };
    LoadedModel loaded;
    loaded.model = assemble(c, get, denseLinears(get, /*hfRopeOrder=*/false));
    loaded.info.format = "llama2.c v0";
    loaded.info.dtype = "fp32";
    loaded.info.bytesOnDisk = static_cast<int64_t>(checkpoint.fileSize());
    return loaded;
}

// Maps tensor name -> shard file, from model.safetensors or a sharded index.
std::vector<std::string> safetensorsFiles(const fs::path& dir) {
    const fs::path single = dir / "model.safetensors";
    if (fs::exists(single)) return {single.string()};
    const fs::path index = dir / "model.safetensors.index.json";
    if (!fs::exists(index))
        throw EngineError(dir.string(), "no model.safetensors or model.safetensors.index.json",
                          "a Hugging Face model folder needs its weights in safetensors format");
    auto json = readJsonFile(index.string());
    if (!json.contains("weight_map") || !json["weight_map"].is_object())
        throw EngineError(index.string(), "missing \"weight_map\" object");
    std::set<std::string> shards;
    for (const auto& item : json["weight_map"].items()) {
        if (!item.value().is_string()) throw EngineError(index.string(), "weight_map entry " + item.key() + " is not a file name");
        shards.insert((dir / item.value().get<std::string>()).string());
    }
    return {shards.begin(), shards.end()};
}

// quantization_config of a Hugging Face folder (absent: dense).
struct HfQuantization {
    enum class Kind { None, Aqlm, Int } kind = Kind::None;
    QuantScheme scheme;   // aqlm
    std::string method;   // int: "gptq" / "rtn"
    int bits = 0;         // int
    int groupSize = 0;    // int
};

int quantInt(const std::string& source, const nlohmann::json& q, const char* key, int min, int max,
             const int* fallback = nullptr) {
    auto it = q.find(key);
    if (it == q.end() || it->is_null()) {
        if (fallback) return *fallback;
        throw EngineError(source, std::string("quantization_config is missing '") + key + "'");
    }
    if (!it->is_number_integer())
        throw EngineError(source, std::string("quantization_config '") + key + "' must be an integer, got " +
                                      it->dump());
    const int64_t v = it->get<int64_t>();
    if (v < min || v > max)
        throw EngineError(source, std::string("quantization_config '") + key + "' = " + std::to_string(v) +
                                      " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return static_cast<int>(v);
}

HfQuantization parseQuantization(const nlohmann::json& config, const std::string& source) {
    HfQuantization r;
    auto it = config.find("quantization_config");
    if (it == config.end() || it->is_null()) return r;
    const nlohmann::json& q = *it;
    if (!q.is_object()) throw EngineError(source, "quantization_config is not a JSON object");
    auto m = q.find("quant_method");
    if (m == q.end() || !m->is_string()) throw EngineError(source, "quantization_config has no 'quant_method' string");
    const std::string method = m->get<std::string>();
    if (method == "aqlm") {
        r.kind = HfQuantization::Kind::Aqlm;
        r.scheme.nbitsPerCodebook = quantInt(source, q, "nbits_per_codebook", 1, 16);
        r.scheme.numCodebooks = quantInt(source, q, "num_codebooks", 1, 64);
        r.scheme.inGroupSize = quantInt(source, q, "in_group_size", 1, 1 << 16);
        const int one = 1;
        const int outGroup = quantInt(source, q, "out_group_size", 1, 1 << 16, &one);
        if (outGroup != 1)
            throw EngineError(source, "AQLM out_group_size = " + std::to_string(outGroup) + " is not supported",
                              "only out_group_size 1 (one scale per output row) can be loaded");
        return r;
    }
    if (method == "aqlm-studio-int") {
        r.kind = HfQuantization::Kind::Int;
        auto mm = q.find("method");
        if (mm == q.end() || !mm->is_string() || (*mm != "gptq" && *mm != "rtn"))
            throw EngineError(source, "quantization_config 'method' must be \"gptq\" or \"rtn\"");
        r.method = mm->get<std::string>();
        r.bits = quantInt(source, q, "bits", 1, 8);
        r.groupSize = quantInt(source, q, "group_size", -1, 1 << 30);
        return r;
    }
    throw EngineError(source, "unsupported quantization method '" + method + "'",
                      "supported: aqlm, aqlm-studio-int");
}

at::ScalarType scalarTypeOf(DType d) {
    switch (d) {
    case DType::I8: return at::kChar;
    case DType::U8: return at::kByte;
    case DType::I16: return at::kShort;
    case DType::I32: return at::kInt;
    case DType::I64: return at::kLong;
    default: return at::kFloat;  // not an integer type
    }
}

bool isIntegerType(DType d) {
    return d == DType::I8 || d == DType::U8 || d == DType::I16 || d == DType::I32 || d == DType::I64;
}

// Integer tensor (any integer dtype) copied out of the mapping, widened to int64.
at::Tensor integerTensorFromView(const TensorView& view, const std::string& file) {
    if (!isIntegerType(view.dtype))
        throw EngineError(file, "tensor " + view.name + " must hold integers but is " + dtypeName(view.dtype));
    at::Tensor t = at::empty(view.shape, scalarTypeOf(view.dtype));
    if (t.nbytes() != view.byteSize) throw EngineError(file, "tensor " + view.name + " has an inconsistent size");
    if (view.byteSize) std::memcpy(t.data_ptr(), view.data, view.byteSize);
    return t.to(at::kLong);
}

// Interleaved row i of a q/k projection is row index[i] of the Hugging Face layout.
at::Tensor interleavedRowSource(int64_t rows, int64_t heads) {
    return hfToInterleavedRows(at::arange(rows, at::kLong).view({rows, 1}), heads).reshape({rows});
}

LoadedModel loadHuggingFace(const fs::path& dir) {
    const std::string configPath = (dir / "config.json").string();
    const nlohmann::json configJson = readJsonFile(configPath);
    ModelConfig c = parseHfConfig(configJson, configPath);
    const HfQuantization quant = parseQuantization(configJson, configPath);
    std::vector<SafetensorsFile> files;
    int64_t bytes = 0;
    for (const auto& f : safetensorsFiles(dir)) {
        files.emplace_back(f);
        bytes += static_cast<int64_t>(fs::file_size(f));
    }
    std::string dtype;
    auto find = [&](const std::string& name) -> std::pair<const SafetensorsFile*, const TensorView*> {
        for (const auto& f : files)
            if (f.contains(name)) return {&f, &f.tensor(name)};
        return {nullptr, nullptr};
    };
    // An untied config without lm_head.weight fails in get() with the tensor's name.
    auto expected = expectedTensors(c);
    if (!c.tiedEmbeddings) expected.push_back({"lm_head.weight", {c.vocabSize, c.dim}});
    std::map<std::string, std::vector<int64_t>> expectedShape(expected.begin(), expected.end());

    auto get = [&](const std::string& name) {
        auto [file, view] = find(name);
        if (!file)
            throw EngineError(dir.string(), "tensor " + name + " is missing from the safetensors files");
        expectShape(file->path(), name, view->shape, expectedShape.at(name));
        if (dtype.empty()) dtype = dtypeName(view->dtype);
        return tensorFromView(*view, file->path());
    };
    auto require = [&](const std::string& name) -> std::pair<const SafetensorsFile*, const TensorView*> {
        auto found = find(name);
        if (!found.first)
            throw EngineError(dir.string(), "tensor " + name + " is missing from the safetensors files");
        return found;
    };
    const LinearGetter dense = denseLinears(get, /*hfRopeOrder=*/true);

    // AQLM: p.codes [dOut, dIn/g, M] int (wrapped), p.codebooks [M, 2^B, 1, g], p.scales [dOut,1,1,1] or [dOut].
    auto aqlmLinear = [&](const std::string& p, int64_t dOut, int64_t dIn, int64_t ropeHeads) -> std::unique_ptr<Linear> {
        const QuantScheme& s = quant.scheme;
        auto [codesFile, codesView] = require(p + ".codes");
        if (dIn % s.inGroupSize != 0)
            throw EngineError(codesFile->path(), "tensor " + p + ".codes: input size " + std::to_string(dIn) +
                                                     " is not a multiple of in_group_size " + std::to_string(s.inGroupSize));
        expectShape(codesFile->path(), p + ".codes", codesView->shape, {dOut, dIn / s.inGroupSize, s.numCodebooks});
        at::Tensor raw = integerTensorFromView(*codesView, codesFile->path());
        const int64_t size = s.codebookSize();
        if (raw.numel() && (raw.min().item<int64_t>() < -size || raw.max().item<int64_t>() >= size))
            throw EngineError(codesFile->path(), "tensor " + p + ".codes has values outside [-2^B, 2^B) for B = " +
                                                     std::to_string(s.nbitsPerCodebook));
        at::Tensor codes = at::bitwise_and(raw, size - 1).to(at::kInt);  // modulo 2^B

        auto [cbFile, cbView] = require(p + ".codebooks");
        expectShape(cbFile->path(), p + ".codebooks", cbView->shape, {s.numCodebooks, size, 1, s.inGroupSize});
        at::Tensor codebooks = tensorFromView(*cbView, cbFile->path());

        auto [scFile, scView] = require(p + ".scales");
        const std::vector<int64_t>& sc = scView->shape;
        const bool scalesOk = sc == std::vector<int64_t>{dOut, 1, 1, 1} || sc == std::vector<int64_t>{dOut} ||
                              sc == std::vector<int64_t>{dOut, 1};
        if (!scalesOk) expectShape(scFile->path(), p + ".scales", sc, {dOut, 1, 1, 1});
        at::Tensor scales = tensorFromView(*scView, scFile->path()).reshape({dOut, 1, 1, 1});

        if (ropeHeads > 0) {
            const at::Tensor rows = interleavedRowSource(dOut, ropeHeads);
            codes = codes.index_select(0, rows);
            scales = scales.index_select(0, rows);
        }
        return std::make_unique<AqlmLinear>(codes, codebooks, scales, s);
    };

    // Integer: p.qweight U8 [dOut, dIn], p.scales / p.zeros [dOut, nGroups] float, p.g_idx int [dIn].
    auto intLinear = [&](const std::string& p, int64_t dOut, int64_t dIn, int64_t ropeHeads) -> std::unique_ptr<Linear> {
        auto [qFile, qView] = require(p + ".qweight");
        expectShape(qFile->path(), p + ".qweight", qView->shape, {dOut, dIn});
        at::Tensor qweight = integerTensorFromView(*qView, qFile->path());
        if (qweight.numel() && (qweight.min().item<int64_t>() < 0 || qweight.max().item<int64_t>() >= (1 << quant.bits)))
            throw EngineError(qFile->path(), "tensor " + p + ".qweight has values outside [0, 2^" +
                                                 std::to_string(quant.bits) + ")");
        auto [sFile, sView] = require(p + ".scales");
        if (sView->shape.size() != 2 || sView->shape[0] != dOut || sView->shape[1] < 1)
            throw EngineError(sFile->path(), "tensor " + p + ".scales must be [" + std::to_string(dOut) +
                                                 ", n_groups]");
        const int64_t groups = sView->shape[1];
        auto [zFile, zView] = require(p + ".zeros");
        expectShape(zFile->path(), p + ".zeros", zView->shape, {dOut, groups});
        auto [gFile, gView] = require(p + ".g_idx");
        expectShape(gFile->path(), p + ".g_idx", gView->shape, {dIn});
        at::Tensor gidx = integerTensorFromView(*gView, gFile->path());
        if (gidx.numel() && (gidx.min().item<int64_t>() < 0 || gidx.max().item<int64_t>() >= groups))
            throw EngineError(gFile->path(), "tensor " + p + ".g_idx has groups outside [0, " + std::to_string(groups) + ")");
        IntQuantized q;
        q.qweight = qweight.to(at::kByte);
        q.scales = tensorFromView(*sView, sFile->path());
        q.zeros = tensorFromView(*zView, zFile->path());
        q.groupIndex = gidx.to(at::kInt);
        q.bits = quant.bits;
        q.groupSize = quant.groupSize;
        if (ropeHeads > 0) {
            const at::Tensor rows = interleavedRowSource(dOut, ropeHeads);
            q.qweight = q.qweight.index_select(0, rows);
            q.scales = q.scales.index_select(0, rows);
            q.zeros = q.zeros.index_select(0, rows);
        }
        return std::make_unique<IntLinear>(std::move(q), quant.method);
    };

    // Per projection: quantized when its quantized tensors are present, dense otherwise
    // (layers listed in linear_weights_not_to_quantize keep p.weight).
    const LinearGetter linear = [&](const std::string& p, int64_t dOut, int64_t dIn, int64_t ropeHeads) {
        if (quant.kind == HfQuantization::Kind::Aqlm && find(p + ".codes").first)
            return aqlmLinear(p, dOut, dIn, ropeHeads);
        if (quant.kind == HfQuantization::Kind::Int && find(p + ".qweight").first)
            return intLinear(p, dOut, dIn, ropeHeads);
        return dense(p, dOut, dIn, ropeHeads);
    };

    LoadedModel loaded;
    loaded.model = assemble(c, get, linear);
    if (quant.kind == HfQuantization::Kind::Aqlm) {
        loaded.info.format = "hf aqlm " + quant.scheme.toString();
        loaded.info.dtype = "aqlm";
    } else if (quant.kind == HfQuantization::Kind::Int) {
        loaded.info.format = "hf " + quant.method + " int" + std::to_string(quant.bits) + " g" +
                             std::to_string(quant.groupSize);
        loaded.info.dtype = "int" + std::to_string(quant.bits);
    } else {
        loaded.info.format = "hf safetensors";
        loaded.info.dtype = dtype == "F16" ? "fp16" : dtype == "BF16" ? "bf16" : dtype == "F32" ? "fp32" : dtype;
    }
    loaded.info.bytesOnDisk = bytes;
    return loaded;
}

}  // namespace

at::Tensor hfToInterleavedRows(const at::Tensor& weight, int64_t heads) {
    const int64_t rows = weight.size(0), cols = weight.size(1);
    return weight.view({heads, 2, rows / heads / 2, cols}).transpose(1, 2).reshape({rows, cols});
}

at::Tensor interleavedToHfRows(const at::Tensor& weight, int64_t heads) {
    const int64_t rows = weight.size(0), cols = weight.size(1);
    return weight.view({heads, rows / heads / 2, 2, cols}).transpose(1, 2).reshape({rows, cols});
}

ModelFormat detectModelFormat(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        if (fs::exists(fs::path(path) / "config.json")) return ModelFormat::HuggingFace;
        throw EngineError(path, "folder has no config.json", "expected a Hugging Face model folder");
    }
    if (!fs::exists(path, ec)) throw EngineError(path, "no such file or folder");
    if (Llama2cCheckpoint::looksLikeCheckpoint(path)) return ModelFormat::Llama2c;
    throw EngineError(path, "not a recognised model (neither a llama2.c .bin checkpoint nor a "
                            "Hugging Face folder)");
}

std::string findTokenizerFor(const std::string& modelPath) {
    std::error_code ec;
    const fs::path p(modelPath);
    const fs::path dir = fs::is_directory(p, ec) ? p : p.parent_path().empty() ? fs::path(".") : p.parent_path();
    for (const char* name : {"tokenizer.model", "tokenizer.bin"})
        if (fs::exists(dir / name, ec)) return (dir / name).string();
    if (auto m = firstMatch(dir, "tok", ".model"); !m.empty()) return m;
    return firstMatch(dir, "tok", ".bin");
}

LoadedModel loadModel(const std::string& path, const LoadOptions& options) {
    const ModelFormat format = detectModelFormat(path);
    LoadedModel loaded = format == ModelFormat::Llama2c ? loadLlama2c(path) : loadHuggingFace(path);
    const ModelConfig& c = loaded.model->config();

    const std::string tokPath = options.tokenizerPath.empty() ? findTokenizerFor(path) : options.tokenizerPath;
    if (tokPath.empty())
        throw EngineError(path, "no tokenizer found beside the model",
                          "expected tokenizer.model, tokenizer.bin or tok*.bin; or pass --tokenizer");
    loaded.tokenizer = loadTokenizer(tokPath, static_cast<int32_t>(c.vocabSize));
    if (loaded.tokenizer->vocabSize() != c.vocabSize)
        throw EngineError(tokPath, "tokenizer has " + std::to_string(loaded.tokenizer->vocabSize()) +
                                       " pieces but the model's vocabulary is " + std::to_string(c.vocabSize));

    ModelInfo& info = loaded.info;
    info.path = path;
    info.architecture = c.architecture;
    info.dim = c.dim;
    info.hiddenDim = c.hiddenDim;
    info.nLayers = c.nLayers;
    info.nHeads = c.nHeads;
    info.nKvHeads = c.nKvHeads;
    info.vocabSize = c.vocabSize;
    info.contextLength = c.maxSeqLen;
    info.tiedEmbeddings = c.tiedEmbeddings;
    info.ropeTheta = c.ropeTheta;
    info.rmsNormEps = c.rmsNormEps;
    info.parameters = loaded.model->parameterCount();
    info.tokenizer = loaded.tokenizer->describe();
    return loaded;
}

}  // namespace aqlm
