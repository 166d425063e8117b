#pragma once
// Compresses a whole model block by block (AQLM section 2), or with the GPTQ / RTN baselines,
// persisting every finished block so a cancelled or killed run resumes where it stopped.
#include "engine/api/cancel_token.h"
#include "engine/api/progress_observer.h"
#include "engine/api/quant_types.h"
#include "engine/dist/process_group.h"
#include "engine/io/model_config.h"

#include <string>

namespace aqlm {

// Throws EngineError when the method, bits or group size cannot run on a model of this shape.
void validateSchemeForModel(const ModelConfig& config, const CompressionOptions& options);

// Everything that can be checked before work starts (scheme vs shapes, calibration files,
// output folder) is checked first; errors are EngineErrors naming the file and the problem.
// group: run as one rank of several processes (docs/architecture/distributed.md); every rank gets
// the same summary and rank 0 writes the files; the model is bit-identical to a one-process run.
CompressionSummary compressModel(const std::string& modelPath, const std::string& outDir,
                                 const CompressionOptions& options, ProgressObserver* observer = nullptr,
                                 const CancelToken* cancel = nullptr, ProcessGroup* group = nullptr);

}  // namespace aqlm
