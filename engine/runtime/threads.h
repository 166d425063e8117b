#pragma once

namespace aqlm {

// All cores by default: LibTorch otherwise starts with a single thread on some systems.
int defaultThreadCount();
// Sets LibTorch's intra-op thread count (n <= 0 means defaultThreadCount()); returns the count in use.
int setThreadCount(int n);

}  // namespace aqlm
