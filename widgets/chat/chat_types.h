#pragma once
// Values the chat worker thread sends to the GUI thread through queued signals, and the transcript
// lines the conversation model hands the page.
#include "engine/api/chat_session.h"

#include <QMetaType>
#include <QString>

namespace aqlm::ui {

// One line of a transcript column: a user turn, or an answer followed by its statistics.
struct ChatEntry {
    bool fromUser = false;
    QString text;
    QString statsLine;
    QString author;  // the answering model's name (empty: the column's current model)
};

// What the page needs to know about a loaded model.
struct ChatModelSummary {
    QString path;
    qint64 contextLength = 0;
    bool hasChatTemplate = false;
    QString templateFamily;  // "Llama-2", "ChatML", "none", ...
    QString notice;          // how prompts are formed when there is no usable template
    QString kernel;
    qint64 memoryNeeded = 0;     // bytes a chat is estimated to need (aqlm::estimateChatMemory)
    qint64 memoryAvailable = 0;  // what the system had available when the model was opened
};

}  // namespace aqlm::ui

Q_DECLARE_METATYPE(aqlm::ui::ChatModelSummary)
Q_DECLARE_METATYPE(aqlm::ChatAnswerStats)
