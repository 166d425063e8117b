#pragma once
// Block fine-tuning (AQLM section 4): with codes frozen, train the codebooks, scales and RMSNorm
// gains of one quantized block to reproduce the original block's outputs.
#include "engine/api/cancel_token.h"
#include "engine/api/quant_types.h"
#include "engine/dist/process_group.h"
#include "engine/model/llama_model.h"

#include <functional>

namespace aqlm {

struct FinetuneResult {
    double initialValidationLoss = 0;
    double bestValidationLoss = 0;
    int epochs = 0;
};

// inputs/targets: [N, T, dim]. The last validationFraction of the windows is held out; training
// stops after 3 epochs without validation improvement and the best parameters are kept.
// group: data-parallel over the ranks (window j of each mini-batch and validation batch k on rank
// j % worldSize, k % worldSize), bit-identical to one process; every rank ends with the same block.
FinetuneResult finetuneBlock(LlamaModel& model, int64_t layer, const at::Tensor& inputs, const at::Tensor& targets,
                             const CompressionOptions& options,
                             const std::function<void(int epoch, double train, double validation)>& onEpoch,
                             const CancelToken* cancel, ProcessGroup* group = nullptr);

}  // namespace aqlm
