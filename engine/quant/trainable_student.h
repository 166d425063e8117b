#pragma once
// An AQLM model prepared for whole-model fine-tuning (design/AQLM.md section 5). Every AqlmLinear
// is replaced by a layer that multiplies by a decoded weight Ŵ held as a leaf tensor, so one
// backward gives the gradient G = dL/dŴ per layer (what PV-Tuning's code update needs); the
// codebooks and scales then get their gradient through the decode (propagateToParameters). Norms
// (and optionally the embedding / untied head) become trainable fp32 copies. finish() puts
// inference layers back with the trained values.
#include "engine/api/quant_types.h"
#include "engine/model/llama_model.h"
#include "engine/quant/adam.h"

#include <ATen/ATen.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace aqlm {

// One quantized projection under training.
struct TrainableAqlmLayer {
    std::string name;        // "model.layers.3.self_attn.q_proj"
    int64_t block = 0;
    Sublayer sublayer = Sublayer::Q;
    QuantScheme scheme;
    at::Tensor codes;        // [dOut, dIn/g, M] int64
    at::Tensor codebooks;    // [M, 2^B, 1, g] fp32, requires grad
    at::Tensor scales;       // [dOut, 1, 1, 1] fp32, requires grad
    at::Tensor weight;       // Ŵ decoded from the above: a leaf requiring grad (rebuilt by decode())
    // PV-Tuning: the straight-through buffer B [dOut, dIn] and its Adam moments.
    at::Tensor buffer;
    std::unique_ptr<AdamMoments> bufferMoments;

    int64_t codeGroups() const { return codes.size(0) * codes.size(1); }
    // Ŵ from the current codes, codebooks and scales, as a fresh leaf (gradient cleared).
    void decode();
};

struct TrainableParameter {
    std::string name;
    at::Tensor param;        // fp32 leaf, requires grad
    AdamMoments moments;
};

class TrainableStudent {
public:
    // Throws EngineError when the model has a projection that is not AQLM.
    TrainableStudent(LlamaModel& model, bool trainEmbeddings, bool withBuffers);
    ~TrainableStudent();
    TrainableStudent(const TrainableStudent&) = delete;
    TrainableStudent& operator=(const TrainableStudent&) = delete;

    std::vector<TrainableAqlmLayer>& layers() { return m_layers; }
    std::vector<TrainableParameter>& parameters() { return m_params; }
    int64_t codeGroups() const;

    // Starts a step: every Ŵ decoded afresh, every gradient cleared.
    void beginStep();
    // After the loss's backward: the codebooks and scales receive their gradient through the decode.
    void propagateToParameters();
    // One Adam step on every parameter with a gradient (step counts from 1).
    void adamStep(const AdamSettings& settings, int64_t step);

    // Every tensor of the training state (model values, Adam moments, PV buffers) by a stable name:
    // what a checkpoint saves. The tensors are the live ones (copy before keeping).
    std::vector<std::pair<std::string, at::Tensor>> state();
    // The tensors that define the model (codes, codebooks, scales, norms, embedding/head when trained).
    std::vector<std::pair<std::string, at::Tensor>> modelState();
    // Copies values into the live tensors by name; every name of `names` must be present.
    void loadState(const std::vector<std::pair<std::string, at::Tensor>>& values);

    // Puts inference layers (AqlmLinear) and plain tensors back into the model with the current
    // values. The object must not be used for training afterwards.
    void finish();

private:
    LlamaModel& m_model;
    std::vector<TrainableAqlmLayer> m_layers;
    std::vector<TrainableParameter> m_params;
    at::Tensor m_originalEmbedding;
    std::unique_ptr<Linear> m_originalHead;
    bool m_trainEmbeddings = false;
    bool m_finished = false;
};

}  // namespace aqlm
