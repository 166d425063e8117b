#pragma once
// The library stores a message's role as text (engine/library/library_records.h); the chat code
// compares against these instead of scattering the literals.
#include "engine/library/library_records.h"

namespace aqlm::ui {

inline constexpr const char* kUserRole = "user";
inline constexpr const char* kAssistantRole = "assistant";

inline bool isUserMessage(const aqlm::MessageRecord& m) { return m.role == kUserRole; }
inline bool isAnswer(const aqlm::MessageRecord& m) { return m.role == kAssistantRole; }

}  // namespace aqlm::ui
