#pragma once
// Compression settings that run in seconds on stories260K, shared by the engine and widget tests.
#include "engine/api/quant_types.h"
#include "shared_paths.h"

namespace aqlm::test {

inline const char* kTinyCalibration = "data/tinystories/tinystories_train_head_2MiB.txt";

inline CompressionOptions tinyCompressionOptions() {
    CompressionOptions o;
    o.scheme = QuantScheme::parse("1x8g4");  // 172 = hidden size of stories260K: g must divide it
    o.calibrationFiles = {sharedPath(kTinyCalibration)};
    o.nsamples = 12;
    o.seqLen = 64;
    o.layer.maxEpochs = 3;
    o.layer.stepsPerEpoch = 10;
    o.layer.kmeansIterations = 10;
    o.finetuneEpochs = 2;
    o.finetuneBatch = 4;
    o.seed = 5;
    return o;
}

}  // namespace aqlm::test
