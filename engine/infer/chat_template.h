#pragma once
// Chat templates without a Jinja engine: the common families are recognised by their markers in
// tokenizer_config.json's "chat_template" and rendered natively, exactly as their published
// templates render (add_generation_prompt on). Anything else is written as a plain transcript
// (chat mode) or as one continuous text (continue mode).
#include "engine/api/chat_session.h"
#include "engine/io/tokenizer.h"

#include <string>
#include <vector>

namespace aqlm {

ChatTemplateFamily detectChatTemplateFamily(const std::string& templateText);

// The "chat_template" of tokenizer_config.json in the model's folder (an HF folder, or the folder of
// a .bin); "" when there is none. A list of named templates yields the "default" one (else the first).
// Throws EngineError naming the file when it is not valid JSON.
std::string readChatTemplate(const std::string& modelPath);

// The prompt text. Continue mode, and chat mode with no or an unknown template, need no markers.
std::string renderChatPrompt(ChatTemplateFamily family, const ChatPrompt& prompt);

// Text -> ids: "<s>" / "</s>" written by the Llama-2, Mistral and Zephyr templates become the BOS /
// EOS ids; templates that do not write BOS get it prepended. Other markers are encoded as text
// (our tokenizers have no added special tokens).
std::vector<int32_t> tokenizeChatPrompt(const Tokenizer& tokenizer, ChatTemplateFamily family, ChatMode mode,
                                        const std::string& text);

// Renders and tokenizes, dropping the oldest turns (never the system prompt, never the last turn)
// until the prompt leaves min(maxNewTokens, context / 2) tokens for the answer; the last turn
// alone too long keeps its newest tokens.
PreparedPrompt fitChatPrompt(const Tokenizer& tokenizer, ChatTemplateFamily family, const ChatPrompt& prompt,
                             int64_t contextLength, int64_t maxNewTokens);

// Text that ends an answer although the tokenizer has no id for it: the family's end-of-turn marker
// written as text, or the next "User:" line of a plain transcript. Empty in continue mode.
std::vector<std::string> chatStopStrings(ChatTemplateFamily family, ChatMode mode);

// Streams text through while holding back anything that may be the start of a stop string, so a
// stop string is never shown. feed() returns the text safe to show; stopped() once one was seen
// (the text before it has been returned, the rest is dropped); flush() returns what is held back.
class StopStringFilter {
public:
    explicit StopStringFilter(std::vector<std::string> stops) : m_stops(std::move(stops)) {}
    std::string feed(const std::string& piece);
    std::string flush();
    bool stopped() const { return m_stopped; }

private:
    std::vector<std::string> m_stops;
    std::string m_held;
    bool m_stopped = false;
};


}  // namespace aqlm
