// ChatSession on the engine's model, tokenizer and Generator.
#include "engine/api/chat_session.h"
#include "engine/api/memory_estimate.h"

#include "engine/infer/chat_template.h"
#include "engine/infer/generator.h"
#include "engine/layers/kernels/isa_kernels.h"
#include "engine/model/decode_step.h"
#include "engine/model/model_loader.h"

#include <ATen/Parallel.h>

#include <set>

namespace aqlm {
namespace {

class EngineChatSession : public ChatSession {
public:
    EngineChatSession(const std::string& modelPath, MemoryEstimate memory, RuntimeOptions runtime)
        : m_loaded(loadModel(modelPath)), m_generator(*m_loaded.model, *m_loaded.tokenizer), m_memory(memory),
          m_runtime(runtime) {
        m_family = detectChatTemplateFamily(readChatTemplate(modelPath));
        if (m_family == ChatTemplateFamily::Unknown)
            m_notice = "The model's chat template is not one of the families recognised (Llama-2, Llama-3, "
                       "ChatML, Zephyr, Mistral): chat turns are written as a plain transcript.";
        else if (m_family == ChatTemplateFamily::None)
            m_notice = "The model has no chat template: it is a completion model, best used to continue a text.";
    }

    const ModelInfo& info() const override { return m_loaded.info; }

    std::string kernelDescription() const override {
        std::set<std::string> kinds;
        const LlamaModel& model = *m_loaded.model;
        for (int64_t b = 0; b < model.numBlocks(); ++b)
            for (Sublayer s : kAllSublayers) kinds.insert(model.block(b).linear(s).describe());
        std::string text;
        for (const std::string& kind : kinds) text += (text.empty() ? "" : ", ") + kind;
        // The instruction set of the CPU kernels and how one token runs (decode_step.h).
        return text + " on CPU (" + kernels::isaKernels().name + ", " + decodePathName(decodePath()) +
               " decode step" + (model.decodeHeadIsInt8() ? ", int8 classifier" : "") +
               "), threads: " + std::to_string(at::get_num_threads());
    }

    ChatTemplateFamily templateFamily() const override { return m_family; }
    std::string templateNotice() const override { return m_notice; }
    int64_t contextLength() const override { return m_loaded.model->config().maxSeqLen; }
    const MemoryEstimate& memoryEstimate() const override { return m_memory; }

    std::string renderPrompt(const ChatPrompt& prompt) const override { return renderChatPrompt(m_family, prompt); }

    PreparedPrompt preparePrompt(const ChatPrompt& prompt, int64_t maxNewTokens) const override {
        return fitChatPrompt(*m_loaded.tokenizer, m_family, prompt, contextLength(), maxNewTokens);
    }

    ChatAnswerStats generate(const ChatPrompt& prompt, const SamplingParams& sampling, int64_t maxNewTokens,
                             const PieceCallback& onPiece, const CancelToken* cancel) override {
        const RuntimeInUse inUse = applyRuntime(m_runtime, "chat");
        const PreparedPrompt prepared = preparePrompt(prompt, maxNewTokens);
        GenerationRequest request;
        request.promptTokens = prepared.tokens;
        request.maxNewTokens = maxNewTokens;
        request.sampling = sampling;
        StopStringFilter filter(chatStopStrings(m_family, prompt.mode));
        const GenerationResult result = m_generator.generate(
            request,
            [&](int32_t, const std::string& piece) {
                const std::string shown = filter.feed(piece);
                const bool goOn = shown.empty() || !onPiece || onPiece(shown);
                return goOn && !filter.stopped();
            },
            cancel);
        if (const std::string rest = filter.flush(); !rest.empty() && onPiece) onPiece(rest);
        ChatAnswerStats stats;
        stats.generation = result.stats;
        if (filter.stopped()) stats.generation.stopReason = "stop_string";
        stats.contextUsed = static_cast<int64_t>(result.tokens.size());
        stats.contextLength = contextLength();
        stats.droppedTurns = prepared.droppedTurns;
        stats.truncated = prepared.truncated;
        stats.kernel = kernelDescription();
        stats.threads = inUse.threads;
        return stats;
    }

private:
    LoadedModel m_loaded;
    Generator m_generator;
    ChatTemplateFamily m_family = ChatTemplateFamily::None;
    std::string m_notice;
    MemoryEstimate m_memory;
    RuntimeOptions m_runtime;
};

}  // namespace

std::unique_ptr<ChatSession> ChatSession::open(const std::string& modelPath, const RuntimeOptions& runtime) {
    applyRuntime(runtime, "chat");
    // A chat may grow to the whole context (capped: the cache is sized per answer, not up front).
    const ModelInfo info = inspectModelFiles(modelPath);
    const MemoryEstimate memory = estimateChatMemory(info, std::min(info.contextLength, kChatEstimateContext));
    requireMemory(memory, modelPath, "Chatting with this model");
    return std::make_unique<EngineChatSession>(modelPath, memory, runtime);
}

}  // namespace aqlm
