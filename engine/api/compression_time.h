#pragma once
// How long a compression will take on this machine, measured before it starts: the layer quantizer
// runs on row slices of each layer width of the model (random weights, the chosen settings), and one
// block of the model's shape runs forward on a short window. The parts scale to the whole model by
// rows, tokens and blocks (facade/compression_time_estimate.cpp).
#include "engine/api/cancel_token.h"
#include "engine/api/quant_types.h"

#include <string>

namespace aqlm {

struct CompressionTimeEstimate {
    // Layers stop after expectedEpochs (the tolerance stops most layers after 4-7 epochs);
    // block fine-tuning runs all its epochs.
    double expectedSeconds = 0;
    // Every layer runs all its epochs.
    double longestSeconds = 0;
    int expectedEpochs = 0;
    int maxEpochs = 0;
    double layerSeconds = 0;      // quantizing every layer (expected epochs)
    double forwardSeconds = 0;    // calibration passes, input statistics and per-block checks
    double finetuneSeconds = 0;   // block fine-tuning, all epochs
    double probeSeconds = 0;      // how long measuring took
    int threads = 0;              // the thread count it was measured with (options.runtime)
};

// Applies options.runtime on the calling thread. Reads the model's headers only (no weights).
// Throws EngineError for a model or settings that cannot run, Cancelled when `cancel` is set.
CompressionTimeEstimate estimateCompressionTime(const std::string& modelPath, const CompressionOptions& options,
                                                const CancelToken* cancel = nullptr);

// Layers that stop early by the tolerance need about this many epochs (reference-7M 2x8g8 at the
// default tolerance 0.01: 4 to 7 epochs, mean 5.6, bench/RESULTS.md).
constexpr int kTypicalAqlmEpochs = 6;

}  // namespace aqlm
