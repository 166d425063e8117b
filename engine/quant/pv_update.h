#pragma once
// PV-Tuning's code (V) update of one quantized layer, after the continuous (P) Adam step
// (design/AQLM.md section 5, steps 3-7).
#include "engine/quant/trainable_student.h"

namespace aqlm {

struct PvSettings {
    double tau = 0.01;              // fraction of code groups re-encoded (ceil)
    double codeLearningRate = 3e-3; // Adam on the buffer, beta1 0, beta2 0.95
    int beamSize = 5;
    double trustRatio = 0.01;       // <= 0: off
    double deltaDecay = 0.0;        // B <- d Ŵ + (1 - d) B after the step
};

// The layer's buffer (created from its decoded weight when absent) takes an Adam step with
// `gradient` (dL/dŴ); the ceil(tau x groups) groups with the largest ||B - Ŵ||^2 (Ŵ from the current
// codes and the current codebooks/scales) are re-encoded to the codes nearest to B / scale; changed
// groups are accepted in that priority order while sqrt(sum ||ΔŴ||^2) <= trustRatio x ||Ŵ|| (always
// the first); then the buffer decays toward the new Ŵ. Returns the number of groups whose codes
// changed. step counts from 1 (Adam bias correction).
int64_t pvUpdateLayer(TrainableAqlmLayer& layer, const at::Tensor& gradient, const PvSettings& settings,
                      int64_t step);

}  // namespace aqlm
