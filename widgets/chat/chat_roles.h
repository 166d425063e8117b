#pragma once
// Which library messages the chat shows as the user's turns and which as answers.
#include "engine/library/library_records.h"

namespace aqlm::ui {

inline bool isUserMessage(const aqlm::MessageRecord& m) { return m.role == aqlm::MessageRole::User; }
inline bool isAnswer(const aqlm::MessageRecord& m) { return m.role == aqlm::MessageRole::Assistant; }

}  // namespace aqlm::ui
