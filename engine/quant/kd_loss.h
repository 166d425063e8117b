#pragma once
// Knowledge-distillation loss of whole-model fine-tuning (design/AQLM.md section 5):
// KL(p_teacher || p_student) per token, computed through the head in chunks of tokens so the
// full-vocabulary logits of a window are never all held at once (nor kept for backward).
#include "engine/model/llama_model.h"

#include <ATen/ATen.h>

namespace aqlm {

// Reference on whole tensors: sum over rows of KL(softmax(teacher) || softmax(student)) for
// logits [..., V]; differentiable in the student logits.
at::Tensor klDivergenceSum(const at::Tensor& teacherLogits, const at::Tensor& studentLogits);

struct KdChunkTotals {
    double klSum = 0;          // summed over tokens
    double nllSum = 0;         // student's next-token NLL, over tokens with a target
    int64_t tokens = 0;
    int64_t predictions = 0;
};

// Hidden states [..., dim] of the same tokens before the final norm (teacher: no gradient
// needed). Every chunk of chunkTokens rows goes through both heads (final norm + classifier).
// With gradScale != 0 and a studentHidden that requires grad, each chunk's KL x gradScale is
// backpropagated through the student head into a detached copy of the hidden states, and their
// gradient then once through the student's trunk (studentHidden's graph): gradients accumulate in
// the student's parameters exactly as for the unchunked loss. targets (optional, int64, shape of
// the hidden states without dim; < 0: no target) adds the student's NLL of those tokens.
KdChunkTotals chunkedKd(const LlamaModel& teacher, const at::Tensor& teacherHidden, const LlamaModel& student,
                        const at::Tensor& studentHidden, int64_t chunkTokens, double gradScale,
                        const at::Tensor& targets = at::Tensor());

// Embedding and every block (no final norm): [B, T] int64 -> [B, T, dim]. Runs with the caller's
// grad mode.
at::Tensor trunkHidden(const LlamaModel& model, const at::Tensor& tokens);

}  // namespace aqlm
