#include "engine/infer/chat_template.h"

#include "engine/api/engine_error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace aqlm {
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const char* marker) { return text.find(marker) != std::string::npos; }

// Jinja's |trim and Python's str.strip().
std::string trimmed(const std::string& s) {
    const char* ws = " \t\n\r\f\v";
    const size_t first = s.find_first_not_of(ws);
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(ws) - first + 1);
}

bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Continue mode writes the turns as one text; a space goes between two words that would touch.
std::string joinContinuation(const ChatPrompt& prompt) {
    std::string text = prompt.systemPrompt.empty() ? std::string() : trimmed(prompt.systemPrompt) + "\n\n";
    bool first = true;
    for (const ChatTurn& turn : prompt.turns) {
        const std::string& part = turn.content;
        if (part.empty()) continue;
        if (!first && !text.empty() && !isSpace(text.back()) && !isSpace(part.front())) text += ' ';
        text += part;
        first = false;
    }
    return text;
}

std::string renderPlainTranscript(const ChatPrompt& prompt) {
    std::string text = prompt.systemPrompt.empty() ? std::string() : trimmed(prompt.systemPrompt) + "\n\n";
    for (const ChatTurn& turn : prompt.turns)
        text += (turn.role == ChatRole::User ? "User: " : "Assistant: ") + trimmed(turn.content) + "\n";
    return text + "Assistant:";
}

// meta-llama/Llama-2-7b-chat-hf: the system message opens the first user turn inside <<SYS>>.
std::string renderLlama2(const ChatPrompt& prompt) {
    std::string text;
    bool firstTurn = true;
    for (const ChatTurn& turn : prompt.turns) {
        std::string content = turn.content;
        if (firstTurn && !prompt.systemPrompt.empty())
            content = "<<SYS>>\n" + prompt.systemPrompt + "\n<</SYS>>\n\n" + content;
        firstTurn = false;
        if (turn.role == ChatRole::User)
            text += "<s>[INST] " + trimmed(content) + " [/INST]";
        else
            text += " " + trimmed(content) + " </s>";
    }
    return text;
}

// mistralai/Mistral-7B-Instruct-v0.1 has no system role: the system prompt opens the first user turn.
std::string renderMistral(const ChatPrompt& prompt) {
    std::string text = "<s>";
    bool firstTurn = true;
    for (const ChatTurn& turn : prompt.turns) {
        if (turn.role == ChatRole::User) {
            std::string content = turn.content;
            if (firstTurn && !prompt.systemPrompt.empty()) content = prompt.systemPrompt + "\n\n" + content;
            text += "[INST] " + content + " [/INST]";
        } else {
            text += turn.content + "</s>";
        }
        firstTurn = false;
    }
    return text;
}

const char* roleName(ChatRole role) { return role == ChatRole::User ? "user" : "assistant"; }

// meta-llama/Meta-Llama-3-8B-Instruct.
std::string renderLlama3(const ChatPrompt& prompt) {
    auto message = [](const std::string& role, const std::string& content) {
        return "<|start_header_id|>" + role + "<|end_header_id|>\n\n" + trimmed(content) + "<|eot_id|>";
    };
    std::string text = "<|begin_of_text|>";
    if (!prompt.systemPrompt.empty()) text += message("system", prompt.systemPrompt);
    for (const ChatTurn& turn : prompt.turns) text += message(roleName(turn.role), turn.content);
    return text + "<|start_header_id|>assistant<|end_header_id|>\n\n";
}

// ChatML (Qwen, OpenHermes, ...).
std::string renderChatMl(const ChatPrompt& prompt) {
    auto message = [](const std::string& role, const std::string& content) {
        return "<|im_start|>" + role + "\n" + content + "<|im_end|>\n";
    };
    std::string text;
    if (!prompt.systemPrompt.empty()) text += message("system", prompt.systemPrompt);
    for (const ChatTurn& turn : prompt.turns) text += message(roleName(turn.role), turn.content);
    return text + "<|im_start|>assistant\n";
}

// HuggingFaceH4/zephyr-7b-beta (trim_blocks: the newline after each {{ }} stays).
std::string renderZephyr(const ChatPrompt& prompt) {
    auto message = [](const std::string& role, const std::string& content) {
        return "<|" + role + "|>\n" + content + "</s>\n";
    };
    std::string text;
    if (!prompt.systemPrompt.empty()) text += message("system", prompt.systemPrompt);
    for (const ChatTurn& turn : prompt.turns) text += message(roleName(turn.role), turn.content);
    return text + "<|assistant|>\n";
}

bool writesBos(ChatTemplateFamily family, ChatMode mode) {
    return mode == ChatMode::Chat && (family == ChatTemplateFamily::Llama2 || family == ChatTemplateFamily::Mistral);
}

}  // namespace

const char* chatModeName(ChatMode mode) { return mode == ChatMode::Continue ? "continue" : "chat"; }
ChatMode parseChatMode(const std::string& text) { return text == "continue" ? ChatMode::Continue : ChatMode::Chat; }

const char* chatTemplateFamilyName(ChatTemplateFamily family) {
    switch (family) {
    case ChatTemplateFamily::None: return "none";
    case ChatTemplateFamily::Llama2: return "Llama-2";
    case ChatTemplateFamily::Llama3: return "Llama-3";
    case ChatTemplateFamily::ChatML: return "ChatML";
    case ChatTemplateFamily::Zephyr: return "Zephyr";
    case ChatTemplateFamily::Mistral: return "Mistral";
    case ChatTemplateFamily::Unknown: return "unknown";
    }
    return "none";
}

ChatTemplateFamily detectChatTemplateFamily(const std::string& t) {
    if (trimmed(t).empty()) return ChatTemplateFamily::None;
    if (contains(t, "<|start_header_id|>")) return ChatTemplateFamily::Llama3;
    if (contains(t, "<|im_start|>")) return ChatTemplateFamily::ChatML;
    if (contains(t, "<|user|>")) return ChatTemplateFamily::Zephyr;
    if (contains(t, "[INST]")) return contains(t, "<<SYS>>") ? ChatTemplateFamily::Llama2 : ChatTemplateFamily::Mistral;
    return ChatTemplateFamily::Unknown;
}

std::string readChatTemplate(const std::string& modelPath) {
    std::error_code ec;
    const fs::path model(modelPath);
    const fs::path dir = fs::is_directory(model, ec) ? model : model.parent_path();
    const fs::path config = dir / "tokenizer_config.json";
    if (!fs::exists(config, ec)) return {};
    std::ifstream in(config);
    if (!in) throw EngineError(config.string(), "cannot be read");
    const nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.is_object()) throw EngineError(config.string(), "is not a valid JSON object");
    const auto it = json.find("chat_template");
    if (it == json.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_array()) {
        std::string firstTemplate;
        for (const auto& entry : *it) {
            if (!entry.is_object() || !entry.contains("template") || !entry["template"].is_string()) continue;
            if (firstTemplate.empty()) firstTemplate = entry["template"].get<std::string>();
            // Compared as JSON: a "name" that is not a string is simply not "default".
            if (entry.value("name", nlohmann::json()) == "default") return entry["template"].get<std::string>();
        }
        return firstTemplate;
    }
    return {};
}

std::string renderChatPrompt(ChatTemplateFamily family, const ChatPrompt& prompt) {
    if (prompt.mode == ChatMode::Continue) return joinContinuation(prompt);
    switch (family) {
    case ChatTemplateFamily::Llama2: return renderLlama2(prompt);
    case ChatTemplateFamily::Llama3: return renderLlama3(prompt);
    case ChatTemplateFamily::ChatML: return renderChatMl(prompt);
    case ChatTemplateFamily::Zephyr: return renderZephyr(prompt);
    case ChatTemplateFamily::Mistral: return renderMistral(prompt);
    case ChatTemplateFamily::None:
    case ChatTemplateFamily::Unknown: break;
    }
    return renderPlainTranscript(prompt);
}

std::vector<int32_t> tokenizeChatPrompt(const Tokenizer& tokenizer, ChatTemplateFamily family, ChatMode mode,
                                        const std::string& text) {
    std::vector<int32_t> ids;
    std::string rest = text;
    if (mode == ChatMode::Chat && family == ChatTemplateFamily::Llama3) {
        const std::string bos = "<|begin_of_text|>";
        if (rest.compare(0, bos.size(), bos) == 0) rest.erase(0, bos.size());
    }
    if (!writesBos(family, mode)) ids.push_back(tokenizer.bosId());
    const bool markers = mode == ChatMode::Chat && (family == ChatTemplateFamily::Llama2 ||
                                                    family == ChatTemplateFamily::Mistral ||
                                                    family == ChatTemplateFamily::Zephyr);
    size_t pos = 0;
    while (pos < rest.size()) {
        size_t next = markers ? std::min(rest.find("<s>", pos), rest.find("</s>", pos)) : std::string::npos;
        const std::string segment = rest.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
        if (!segment.empty()) {
            const std::vector<int32_t> part = tokenizer.encode(segment, false);
            ids.insert(ids.end(), part.begin(), part.end());
        }
        if (next == std::string::npos) break;
        const bool isBos = rest.compare(next, 3, "<s>") == 0;
        ids.push_back(isBos ? tokenizer.bosId() : tokenizer.eosId());
        pos = next + (isBos ? 3 : 4);
    }
    return ids;
}

PreparedPrompt fitChatPrompt(const Tokenizer& tokenizer, ChatTemplateFamily family, const ChatPrompt& prompt,
                             int64_t contextLength, int64_t maxNewTokens) {
    const int64_t reserve = std::min<int64_t>(std::max<int64_t>(maxNewTokens, 0), contextLength / 2);
    const int64_t budget = std::max<int64_t>(contextLength - reserve, 1);
    const size_t turns = prompt.turns.size();
    PreparedPrompt prepared;
    ChatPrompt trial = prompt;
    for (size_t drop = 0; drop < std::max<size_t>(turns, 1); ++drop) {
        const bool last = drop + 1 >= turns;
        // Chat templates expect a user turn first (Llama-2 and Mistral enforce it).
        if (!last && prompt.mode == ChatMode::Chat && prompt.turns[drop].role == ChatRole::Assistant) continue;
        trial.turns.assign(prompt.turns.begin() + static_cast<std::ptrdiff_t>(std::min(drop, turns)), prompt.turns.end());
        prepared.text = renderChatPrompt(family, trial);
        prepared.tokens = tokenizeChatPrompt(tokenizer, family, prompt.mode, prepared.text);
        prepared.droppedTurns = static_cast<int>(std::min(drop, turns));
        if (static_cast<int64_t>(prepared.tokens.size()) <= budget) return prepared;
    }
    // The newest turn alone does not fit: keep BOS and the newest tokens.
    std::vector<int32_t> kept{prepared.tokens.front()};
    kept.insert(kept.end(), prepared.tokens.end() - (budget - 1), prepared.tokens.end());
    prepared.tokens = std::move(kept);
    prepared.text = tokenizer.decode(prepared.tokens);
    prepared.truncated = true;
    return prepared;
}

std::vector<std::string> chatStopStrings(ChatTemplateFamily family, ChatMode mode) {
    if (mode == ChatMode::Continue) return {};
    switch (family) {
    case ChatTemplateFamily::Llama2:
    case ChatTemplateFamily::Mistral: return {"[INST]"};
    case ChatTemplateFamily::Llama3: return {"<|eot_id|>", "<|start_header_id|>"};
    case ChatTemplateFamily::ChatML: return {"<|im_end|>", "<|im_start|>"};
    case ChatTemplateFamily::Zephyr: return {"</s>", "<|user|>"};
    case ChatTemplateFamily::None:
    case ChatTemplateFamily::Unknown: break;
    }
    return {"\nUser:"};
}

std::string StopStringFilter::feed(const std::string& piece) {
    if (m_stopped) return {};
    m_held += piece;
    size_t cut = std::string::npos;
    for (const std::string& stop : m_stops) cut = std::min(cut, m_held.find(stop));
    if (cut != std::string::npos) {
        m_stopped = true;
        std::string out = m_held.substr(0, cut);
        m_held.clear();
        return out;
    }
    // Hold back the longest tail that is the beginning of some stop string.
    size_t keep = 0;
    for (const std::string& stop : m_stops)
        for (size_t n = std::min(stop.size() - 1, m_held.size()); n > keep; --n)
            if (m_held.compare(m_held.size() - n, n, stop, 0, n) == 0) {
                keep = n;
                break;
            }
    std::string out = m_held.substr(0, m_held.size() - keep);
    m_held.erase(0, m_held.size() - keep);
    return out;
}

std::string StopStringFilter::flush() {
    std::string out;
    out.swap(m_held);
    return m_stopped ? std::string() : out;
}

}  // namespace aqlm
