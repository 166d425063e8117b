#pragma once
// Callbacks a long engine job reports through; the GUI re-emits them as queued signals, the CLI
// prints them. Called on the worker thread; implementations must be cheap and thread-safe.
#include "engine/api/quant_types.h"

#include <cstdint>
#include <string>

namespace aqlm {

// The stages of a compression run, in order.
enum class Stage { Loading, Calibration, Quantizing, Finetuning, Saving, Done };
// "loading", "calibration", "quantizing", "finetuning", "saving", "done"
inline const char* stageName(Stage stage) {
    switch (stage) {
    case Stage::Loading: return "loading";
    case Stage::Calibration: return "calibration";
    case Stage::Quantizing: return "quantizing";
    case Stage::Finetuning: return "finetuning";
    case Stage::Saving: return "saving";
    case Stage::Done: return "done";
    }
    return "?";
}

class ProgressObserver {
public:
    virtual ~ProgressObserver() = default;
    virtual void onStage(Stage stage, int64_t block, int64_t numBlocks) {}
    virtual void onLayerStart(int64_t block, const std::string& layer, int64_t layerIndex, int64_t numLayers) {}
    virtual void onEpoch(const EpochReport& report) {}
    virtual void onLayerDone(const LayerReport& report) {}
    virtual void onFinetuneEpoch(int64_t block, int epoch, double trainLoss, double validationLoss) {}
    // perplexity < 0 when no quick evaluation was requested.
    virtual void onBlockDone(int64_t block, int64_t numBlocks, double seconds, double perplexity) {}
    virtual void onLog(const std::string& message) {}
};

}  // namespace aqlm
