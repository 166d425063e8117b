#include "engine/model/model_loader.h"

#include "engine/api/engine_error.h"
#include "engine/io/confined_path.h"
#include "engine/io/hf_config.h"
#include "engine/io/llama2c_checkpoint.h"
#include "engine/io/run_state.h"
#include "engine/layers/hf_quantized_layout.h"
#include "engine/layers/mapped_tensors.h"

#include <filesystem>
#include <functional>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace aqlm {
namespace {

std::string firstMatch(const fs::path& dir, const std::string& prefix, const std::string& ext) {
    std::set<std::string> found;  // sorted for a deterministic choice
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ext) found.insert(entry.path().string());
    }
    return found.empty() ? std::string() : *found.begin();
}

using Shapes = std::map<std::string, std::vector<int64_t>>;

// Every tensor of a dense model in HF naming, with the shape the config implies.
Shapes expectedTensors(const ModelConfig& c) {
    Shapes out;
    const int64_t D = c.dim, F = c.hiddenDim, KV = c.kvDim();
    out["model.embed_tokens.weight"] = {c.vocabSize, D};
    out["model.norm.weight"] = {D};
    if (!c.tiedEmbeddings) out["lm_head.weight"] = {c.vocabSize, D};
    for (int64_t l = 0; l < c.nLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        out[p + "input_layernorm.weight"] = {D};
        out[p + "post_attention_layernorm.weight"] = {D};
        out[p + "self_attn.q_proj.weight"] = {D, D};
        out[p + "self_attn.k_proj.weight"] = {KV, D};
        out[p + "self_attn.v_proj.weight"] = {KV, D};
        out[p + "self_attn.o_proj.weight"] = {D, D};
        out[p + "mlp.gate_proj.weight"] = {F, D};
        out[p + "mlp.up_proj.weight"] = {F, D};
        out[p + "mlp.down_proj.weight"] = {D, F};
    }
    return out;
}

using TensorGetter = std::function<at::Tensor(const std::string&)>;
// Builds the projection stored under prefix p ("model.layers.0.self_attn.q_proj") with the given shape.
using LinearGetter = std::function<std::unique_ptr<Linear>(const std::string& p, int64_t dOut, int64_t dIn)>;

std::unique_ptr<LlamaModel> assemble(const ModelConfig& c, const TensorGetter& get, const LinearGetter& linear) {
    const int64_t D = c.dim, F = c.hiddenDim, KV = c.kvDim();
    std::vector<LlamaBlock> blocks;
    for (int64_t l = 0; l < c.nLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        LlamaBlock b;
        // Norms are small and trained by block fine-tuning: fp32 copies.
        b.attnNorm = get(p + "input_layernorm.weight").to(at::kFloat).clone();
        b.ffnNorm = get(p + "post_attention_layernorm.weight").to(at::kFloat).clone();
        b.q = linear(p + "self_attn.q_proj", D, D);
        b.k = linear(p + "self_attn.k_proj", KV, D);
        b.v = linear(p + "self_attn.v_proj", KV, D);
        b.o = linear(p + "self_attn.o_proj", D, D);
        b.gate = linear(p + "mlp.gate_proj", F, D);
        b.up = linear(p + "mlp.up_proj", F, D);
        b.down = linear(p + "mlp.down_proj", D, F);
        blocks.push_back(std::move(b));
    }
    std::unique_ptr<Linear> head;
    if (!c.tiedEmbeddings) head = std::make_unique<DenseLinear>(get("lm_head.weight"));
    return std::make_unique<LlamaModel>(c, get("model.embed_tokens.weight"), std::move(blocks),
                                        get("model.norm.weight").to(at::kFloat).clone(), std::move(head));
}

LinearGetter denseLinears(const TensorGetter& get) {
    return [get](const std::string& p, int64_t, int64_t) -> std::unique_ptr<Linear> {
        return std::make_unique<DenseLinear>(get(p + ".weight"));
    };
}

std::string dtypeLabel(DType d) {
    switch (d) {
    case DType::F16: return "fp16";
    case DType::BF16: return "bf16";
    case DType::F32: return "fp32";
    default: return dtypeName(d);
    }
}

// What a folder or file holds, read from its headers only.
struct ModelFiles {
    ModelFormat format = ModelFormat::Llama2c;
    ModelConfig config;
    HfQuantization quant;
    std::shared_ptr<Llama2cCheckpoint> llama2c;
    std::shared_ptr<HfTensorSource> hf;
};

ModelFiles openModelFiles(const std::string& path) {
    ModelFiles m;
    m.format = detectModelFormat(path);
    if (m.format == ModelFormat::Llama2c) {
        m.llama2c = std::make_shared<Llama2cCheckpoint>(path);
        m.config = m.llama2c->config();
        return m;
    }
    const fs::path dir(path);
    const std::string configPath = (dir / "config.json").string();
    const nlohmann::json configJson = readJsonFile(configPath);
    m.config = parseHfConfig(configJson, configPath);
    m.quant = parseHfQuantization(configJson, configPath);
    m.hf = std::make_shared<HfTensorSource>(dir.string(), safetensorsFilesOf(dir.string()));
    return m;
}

bool isQuantizedIn(const ModelFiles& m, const std::string& prefix) {
    if (m.quant.kind == HfQuantization::Kind::Aqlm) return bool(m.hf->find(prefix + ".codes"));
    if (m.quant.kind == HfQuantization::Kind::Int) return bool(m.hf->find(prefix + ".qweight"));
    return false;
}

// Checks every tensor's presence and shape from the headers; returns the dense weights' dtype.
std::string validateHfHeaders(const ModelFiles& m) {
    std::string dtype;
    for (const auto& [name, shape] : expectedTensors(m.config)) {
        const std::string suffix = ".weight";
        const std::string prefix = name.substr(0, name.size() - suffix.size());
        if (isQuantizedIn(m, prefix)) continue;  // its own tensors are checked when it is read
        const auto found = m.hf->require(name);
        expectShape(found.file->path(), name, found.view->shape, shape);
        floatScalarType(found.view->dtype, found.file->path(), name);
        if (dtype.empty() && name.find("_proj.") != std::string::npos) dtype = dtypeLabel(found.view->dtype);
    }
    return dtype;
}

void describeFormat(const ModelFiles& m, ModelInfo& info) {
    if (m.format == ModelFormat::Llama2c) {
        info.format = "llama2.c v0";
        info.dtype = "fp32";
        info.bytesOnDisk = static_cast<int64_t>(m.llama2c->fileSize());
        return;
    }
    const std::string dtype = validateHfHeaders(m);
    info.bytesOnDisk = m.hf->bytesOnDisk();
    if (m.quant.kind == HfQuantization::Kind::Aqlm) {
        info.format = "hf aqlm " + m.quant.scheme.toString();
        info.dtype = "aqlm";
    } else if (m.quant.kind == HfQuantization::Kind::Int) {
        info.format = std::string("hf ") + quantMethodName(m.quant.method) + " " +
                      intSchemeLabel(m.quant.bits, m.quant.groupSize);
        info.dtype = "int" + std::to_string(m.quant.bits);
    } else {
        info.format = "hf safetensors";
        info.dtype = dtype.empty() ? "fp16" : dtype;
    }
}

std::unique_ptr<LlamaModel> buildLlama2c(const ModelFiles& m) {
    const auto checkpoint = m.llama2c;
    auto get = [checkpoint](const std::string& name) {
        const auto& t = checkpoint->tensors().at(name);
        return tensorOverMapping(t.data, t.shape, at::kFloat, checkpoint);
    };
    return assemble(m.config, get, denseLinears(get));
}

std::unique_ptr<LlamaModel> buildHuggingFace(const ModelFiles& m) {
    const Shapes expected = expectedTensors(m.config);
    const HfTensorSource& source = *m.hf;
    auto get = [&](const std::string& name) { return source.mapped(name, expected.at(name)); };
    const LinearGetter dense = denseLinears(get);
    // Per projection: quantized when its quantized tensors are present, dense otherwise
    // (layers listed in linear_weights_not_to_quantize keep p.weight).
    const LinearGetter linear = [&](const std::string& p, int64_t dOut, int64_t dIn) -> std::unique_ptr<Linear> {
        if (!isQuantizedIn(m, p)) return dense(p, dOut, dIn);
        if (m.quant.kind == HfQuantization::Kind::Aqlm) return readHfAqlmLinear(source, p, dOut, dIn, m.quant.scheme);
        return readHfIntLinear(source, p, dOut, dIn, m.quant);
    };
    return assemble(m.config, get, linear);
}

std::unique_ptr<Tokenizer> openTokenizer(const std::string& path, const LoadOptions& options, int64_t vocabSize) {
    const std::string tokPath = options.tokenizerPath.empty() ? findTokenizerFor(path) : options.tokenizerPath;
    if (tokPath.empty())
        throw EngineError(path, "no tokenizer found beside the model",
                          "expected tokenizer.model, tokenizer.bin or tok*.bin beside it, or choose a tokenizer file");
    auto tokenizer = loadTokenizer(tokPath, static_cast<int32_t>(vocabSize));
    if (tokenizer->vocabSize() != vocabSize)
        throw EngineError(tokPath, "tokenizer has " + std::to_string(tokenizer->vocabSize()) +
                                       " pieces but the model's vocabulary is " + std::to_string(vocabSize));
    return tokenizer;
}

ModelInfo describe(const std::string& path, const ModelFiles& m, const Tokenizer& tokenizer) {
    const ModelConfig& c = m.config;
    ModelInfo info;
    describeFormat(m, info);
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
    info.parameters = c.parameterCount();
    info.tokenizer = tokenizer.describe();
    return info;
}

}  // namespace

ModelFormat detectModelFormat(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        // A compression stopped while exporting leaves config and weights beside an unfinished run.
        if (holdsUnfinishedRun(path))
            throw EngineError(path, "holds an unfinished compression run, not a finished model",
                              "resume the compression (aqlm quantize ... --resume) to finish it");
        if (fs::exists(fs::path(path) / "config.json")) return ModelFormat::HuggingFace;
        // A fine-tuning run writes its result's config.json last, after every other file.
        if (fs::is_directory(fs::path(path) / ".aqlm-finetune", ec))
            throw EngineError(path, "holds an unfinished fine-tuning run, not a finished model",
                              "resume the run to finish it");
        throw EngineError(path, "folder has no config.json", "expected a Hugging Face model folder");
    }
    if (!fs::exists(path, ec)) throw EngineError(path, "no such file or folder");
    if (Llama2cCheckpoint::looksLikeCheckpoint(path)) return ModelFormat::Llama2c;
    throw EngineError(path, "not a model file",
                      "expected a llama2.c .bin checkpoint or a Hugging Face model folder");
}

std::string findTokenizerFor(const std::string& modelPath) {
    std::error_code ec;
    const fs::path p(modelPath);
    const fs::path dir = fs::is_directory(p, ec) ? p : p.parent_path().empty() ? fs::path(".") : p.parent_path();
    std::string found;
    for (const char* name : {"tokenizer.model", "tokenizer.bin"})
        if (found.empty() && fs::exists(dir / name, ec)) found = (dir / name).string();
    if (found.empty()) found = firstMatch(dir, "tok", ".model");
    if (found.empty()) found = firstMatch(dir, "tok", ".bin");
    // The tokenizer found beside a downloaded model must not be a symlink out of its folder.
    if (!found.empty()) requireResolvesInside(dir.string(), found, found, "the tokenizer file");
    return found;
}

ModelConfig readModelConfig(const std::string& path) {
    return detectModelFormat(path) == ModelFormat::Llama2c
               ? Llama2cCheckpoint(path).config()
               : readHfConfigFile((std::filesystem::path(path) / "config.json").string());
}

ModelInfo inspectModelFiles(const std::string& path, const LoadOptions& options) {
    const ModelFiles files = openModelFiles(path);
    const auto tokenizer = openTokenizer(path, options, files.config.vocabSize);
    return describe(path, files, *tokenizer);
}

LoadedModel loadModel(const std::string& path, const LoadOptions& options) {
    const ModelFiles files = openModelFiles(path);
    LoadedModel loaded;
    loaded.tokenizer = openTokenizer(path, options, files.config.vocabSize);
    loaded.info = describe(path, files, *loaded.tokenizer);
    loaded.model = files.format == ModelFormat::Llama2c ? buildLlama2c(files) : buildHuggingFace(files);
    return loaded;
}

}  // namespace aqlm
