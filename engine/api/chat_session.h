#pragma once
// A loaded model ready to chat or to continue a text: the prompt is rendered through the model's
// chat template (recognised natively, no Jinja engine), trimmed from the oldest turns to fit the
// context, and the answer streams piece by piece with per-answer statistics.
// Torch-free so the GUI can hold one; implemented in engine/facade/chat_session.cpp.
// Not thread-safe: use a session from one thread at a time.
#include "engine/api/cancel_token.h"
#include "engine/api/memory_estimate.h"
#include "engine/api/runtime_options.h"
#include "engine/api/types.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aqlm {

// Chat: turns go through the chat template. Continue: the text is continued as written (what
// completion models such as TinyStories understand: "continue the story").
enum class ChatMode { Chat, Continue };
const char* chatModeName(ChatMode mode);            // "chat", "continue" (the library's chats.mode)
ChatMode parseChatMode(const std::string& text);    // unknown text reads as Chat

enum class ChatRole { User, Assistant };

struct ChatTurn {
    ChatRole role = ChatRole::User;
    std::string content;
};

// Template families recognised by their markers in tokenizer_config.json's "chat_template".
enum class ChatTemplateFamily { None, Llama2, Llama3, ChatML, Zephyr, Mistral, Unknown };
const char* chatTemplateFamilyName(ChatTemplateFamily family);  // "Llama-2", "ChatML", ...

struct ChatPrompt {
    std::vector<ChatTurn> turns;   // oldest first; ends with the user turn to answer
    std::string systemPrompt;      // kept when older turns are trimmed
    ChatMode mode = ChatMode::Chat;
};

struct PreparedPrompt {
    std::string text;              // rendered prompt (special markers written as text)
    std::vector<int32_t> tokens;   // what the model reads
    int droppedTurns = 0;          // oldest turns left out to fit the context
    bool truncated = false;        // even the newest turn alone was too long: its start was cut
};

struct ChatAnswerStats {
    GenerationStats generation;    // tokens/s, time to first token, generated tokens, stop reason
    int64_t contextUsed = 0;       // prompt + generated tokens
    int64_t contextLength = 0;
    int droppedTurns = 0;
    bool truncated = false;
    std::string kernel;            // kernelDescription() at the time of the answer
    int threads = 0;               // threads the answer was generated with
};

// Called with each piece of decoded text; return false to stop.
using PieceCallback = std::function<bool(const std::string& piece)>;

class ChatSession {
public:
    virtual ~ChatSession() = default;

    // Loads the model and its tokenizer (throws EngineError naming the file and the problem). The
    // runtime options apply to the opening thread and again to the thread of every answer.
    static std::unique_ptr<ChatSession> open(const std::string& modelPath, const RuntimeOptions& runtime = {});

    virtual const ModelInfo& info() const = 0;
    // Which linear kernels run the model and where, e.g. "dense fp32 on CPU, threads: 4".
    virtual std::string kernelDescription() const = 0;
    virtual ChatTemplateFamily templateFamily() const = 0;
    bool hasChatTemplate() const {
        return templateFamily() != ChatTemplateFamily::None && templateFamily() != ChatTemplateFamily::Unknown;
    }
    // Non-empty when the user should know how the prompt is formed (unknown template, none).
    virtual std::string templateNotice() const = 0;
    virtual int64_t contextLength() const = 0;
    // The memory estimate open() checked before loading (what the GUI shows next to the available memory).
    virtual const MemoryEstimate& memoryEstimate() const = 0;

    // The prompt as text, without trimming.
    virtual std::string renderPrompt(const ChatPrompt& prompt) const = 0;
    // Rendered and tokenized, oldest turns dropped until the prompt leaves room for the answer
    // (maxNewTokens, at most half the context).
    virtual PreparedPrompt preparePrompt(const ChatPrompt& prompt, int64_t maxNewTokens) const = 0;

    // Streams the answer's text. In chat mode an end-of-turn marker that the tokenizer can only
    // write as text (e.g. "<|im_end|>", or the next "User:" of a plain transcript) ends the answer
    // unseen (stop reason "stop_string").
    virtual ChatAnswerStats generate(const ChatPrompt& prompt, const SamplingParams& sampling,
                                     int64_t maxNewTokens, const PieceCallback& onPiece,
                                     const CancelToken* cancel) = 0;
};

}  // namespace aqlm
