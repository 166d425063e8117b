#pragma once
// runFinetune as one rank of a run split across processes (docs/architecture/distributed.md). Not
// part of engine/api: a process group is a LibTorch (c10d) object.
#include "engine/api/engine_facade.h"
#include "engine/dist/process_group.h"

namespace aqlm {

// Every rank loads the student, the teacher and the texts from the same paths and checks its settings
// against rank 0's before any work; fine-tuning is data-parallel and bit-identical to one process.
// Rank 0 alone claims the output folder, keeps the checkpoint and writes the result; its errors
// reach every rank. group: null (or a group of one) for one process.
FinetuneSummary runDistributedFinetune(const FinetuneRequest& request, FinetuneObserver* observer,
                                       const CancelToken* cancel, ProcessGroup* group);

}  // namespace aqlm
