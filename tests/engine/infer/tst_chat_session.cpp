// Chat prompts: template family detection, each family rendered exactly as its published Jinja
// template renders (golden strings), BOS/EOS markers tokenized to ids, tokenizer_config.json reading,
// trimming to the context (system prompt kept), and ChatSession generation on stories260K
// (streamed pieces, statistics, cancel).
#include "engine/api/chat_session.h"
#include "engine/api/engine_error.h"
#include "engine/infer/chat_template.h"
#include "engine/io/tokenizer.h"

#include "shared_paths.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <algorithm>
#include <fstream>

using namespace aqlm;
using namespace aqlm::test;

namespace {

const char* kModel = "models/stories260K/stories260K.bin";
const char* kTokenizer = "models/stories260K/tok512.bin";

ChatPrompt threeTurns(const std::string& system) {
    ChatPrompt p;
    p.systemPrompt = system;
    p.turns = {{ChatRole::User, "Hi"}, {ChatRole::Assistant, "Hello!"}, {ChatRole::User, "How are you?"}};
    return p;
}

void writeFile(const QString& path, const std::string& text) {
    std::ofstream out(path.toStdString());
    out << text;
}

ChatPrompt longStory(int turns, ChatMode mode) {
    ChatPrompt p;
    p.mode = mode;
    p.systemPrompt = "Tell a kind story.";
    for (int i = 0; i < turns; ++i)
        p.turns.push_back({i % 2 == 0 ? ChatRole::User : ChatRole::Assistant,
                           "Turn " + std::to_string(i) + ": the little dog ran to the park and played with a big red ball."});
    return p;
}

}  // namespace

class TestChatSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void detectsFamiliesByMarkers() {
        QCOMPARE(detectChatTemplateFamily(""), ChatTemplateFamily::None);
        QCOMPARE(detectChatTemplateFamily("{% for m in messages %}{{ bos_token + '[INST] ' + '<<SYS>>\\n' }}"),
                 ChatTemplateFamily::Llama2);
        QCOMPARE(detectChatTemplateFamily("{{ bos_token }}{% for m in messages %}{{ '[INST] ' + m['content'] + ' [/INST]' }}"),
                 ChatTemplateFamily::Mistral);
        QCOMPARE(detectChatTemplateFamily("{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>' }}"),
                 ChatTemplateFamily::Llama3);
        QCOMPARE(detectChatTemplateFamily("{{'<|im_start|>' + message['role'] + '\\n'}}"), ChatTemplateFamily::ChatML);
        QCOMPARE(detectChatTemplateFamily("{{ '<|user|>\\n' + message['content'] + eos_token }}"), ChatTemplateFamily::Zephyr);
        QCOMPARE(detectChatTemplateFamily("{{ '### Instruction: ' + message['content'] }}"), ChatTemplateFamily::Unknown);
    }

    void rendersEachFamilyLikeItsTemplate() {
        const ChatPrompt p = threeTurns("Be kind.");
        QCOMPARE(renderChatPrompt(ChatTemplateFamily::Llama2, p),
                 std::string("<s>[INST] <<SYS>>\nBe kind.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] How are you? [/INST]"));
        QCOMPARE(renderChatPrompt(ChatTemplateFamily::Llama2, threeTurns("")),
                 std::string("<s>[INST] Hi [/INST] Hello! </s><s>[INST] How are you? [/INST]"));
        QCOMPARE(renderChatPrompt(ChatTemplateFamily::Llama3, p),
                 std::string("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe kind.<|eot_id|>"
                             "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                             "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
                             "<|start_header_id|>user<|end_header_id|>\n\nHow are you?<|eot_id|>"
                             "<|start_header_id|>assistant<|end_header_id|>\n\n"));
        QCOMPARE(renderChatPrompt(ChatTemplateFamily::ChatML, p),
                 std::string("<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                             "<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nHow are you?<|im_end|>\n"
                             "<|im_start|>assistant\n"));
        QCOMPARE(renderChatPrompt(ChatTemplateFamily::Zephyr, p),
                 std::string("<|system|>\nBe kind.</s>\n<|user|>\nHi</s>\n<|assistant|>\nHello!</s>\n"
                             "<|user|>\nHow are you?</s>\n<|assistant|>\n"));
        QCOMPARE(renderChatPrompt(ChatTemplateFamily::Mistral, p),
                 std::string("<s>[INST] Be kind.\n\nHi [/INST]Hello!</s>[INST] How are you? [/INST]"));
        QCOMPARE(renderChatPrompt(ChatTemplateFamily::Unknown, p),
                 std::string("Be kind.\n\nUser: Hi\nAssistant: Hello!\nUser: How are you?\nAssistant:"));
        QCOMPARE(renderChatPrompt(ChatTemplateFamily::None, p), renderChatPrompt(ChatTemplateFamily::Unknown, p));
    }

    void continueModeJoinsTheText() {
        ChatPrompt p;
        p.mode = ChatMode::Continue;
        p.turns = {{ChatRole::User, "Once upon a time"}, {ChatRole::Assistant, " there was a cat."},
                   {ChatRole::User, "The cat"}};
        // Any template: continue mode writes the story as one text.
        QCOMPARE(renderChatPrompt(ChatTemplateFamily::ChatML, p), std::string("Once upon a time there was a cat. The cat"));
        p.systemPrompt = "A story.";
        QCOMPARE(renderChatPrompt(ChatTemplateFamily::None, p), std::string("A story.\n\nOnce upon a time there was a cat. The cat"));
        QCOMPARE(parseChatMode(chatModeName(ChatMode::Continue)), ChatMode::Continue);
        QCOMPARE(parseChatMode("chat"), ChatMode::Chat);
    }

    void markersBecomeBosAndEosIds() {
        AQLM_REQUIRE_SHARED(kTokenizer);
        const auto tok = loadTokenizer(sharedPath(kTokenizer), 512);
        const std::string text = renderChatPrompt(ChatTemplateFamily::Llama2, threeTurns(""));
        const auto ids = tokenizeChatPrompt(*tok, ChatTemplateFamily::Llama2, ChatMode::Chat, text);
        QCOMPARE(ids.front(), tok->bosId());
        QCOMPARE(std::count(ids.begin(), ids.end(), tok->bosId()), std::ptrdiff_t(2));
        QCOMPARE(std::count(ids.begin(), ids.end(), tok->eosId()), std::ptrdiff_t(1));
        // Templates that do not write BOS get it, continue mode too, exactly once.
        const auto chatml = tokenizeChatPrompt(*tok, ChatTemplateFamily::ChatML, ChatMode::Chat, "<|im_start|>user\nHi");
        QCOMPARE(chatml.front(), tok->bosId());
        QCOMPARE(std::count(chatml.begin(), chatml.end(), tok->bosId()), std::ptrdiff_t(1));
        const auto story = tokenizeChatPrompt(*tok, ChatTemplateFamily::None, ChatMode::Continue, "Once upon a time");
        QCOMPARE(story, tok->encode("Once upon a time", true));
    }

    void stopStringsAreNeverShown() {
        StopStringFilter filter(chatStopStrings(ChatTemplateFamily::None, ChatMode::Chat));
        std::string shown;
        for (const char* piece : {"I am", " fine.", "\n", "Us", "ually", " yes.\nUs", "er: hi"}) {
            QVERIFY(!filter.stopped());
            shown += filter.feed(piece);
        }
        QVERIFY(filter.stopped());
        QCOMPARE(shown + filter.flush(), std::string("I am fine.\nUsually yes."));
        QCOMPARE(filter.feed("more"), std::string());

        StopStringFilter chatml(chatStopStrings(ChatTemplateFamily::ChatML, ChatMode::Chat));
        QCOMPARE(chatml.feed("Hi<|im"), std::string("Hi"));  // "<|im" may start a marker: held back
        QCOMPARE(chatml.feed("_end|>\n"), std::string());
        QVERIFY(chatml.stopped());

        // A held-back tail that never became a marker comes out at the end.
        StopStringFilter plain(chatStopStrings(ChatTemplateFamily::Unknown, ChatMode::Chat));
        QCOMPARE(plain.feed("The end.\nU"), std::string("The end."));
        QCOMPARE(plain.flush(), std::string("\nU"));
        QVERIFY(chatStopStrings(ChatTemplateFamily::ChatML, ChatMode::Continue).empty());
    }

    void chatTemplateBesideAnHfModel() {
        const char* hf = "models/reference-7M/hf";
        AQLM_REQUIRE_SHARED(hf);
        QCOMPARE(ChatSession::open(sharedPath(hf))->templateFamily(), ChatTemplateFamily::None);
        // The same model with a Llama-2 chat template beside it.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (const char* name : {"config.json", "model.safetensors", "tokenizer.model"})
            QVERIFY(QFile::copy(QString::fromStdString(sharedPath(std::string(hf) + "/" + name)), dir.filePath(name)));
        writeFile(dir.filePath("tokenizer_config.json"),
                  "{\"bos_token\": \"<s>\", \"chat_template\": \"{% for message in loop_messages %}"
                  "{{ bos_token + '[INST] ' + '<<SYS>>\\\\n' + content.strip() + ' [/INST]' }}{% endfor %}\"}");
        auto session = ChatSession::open(dir.path().toStdString());
        QCOMPARE(session->templateFamily(), ChatTemplateFamily::Llama2);
        QVERIFY(session->hasChatTemplate());
        QVERIFY(session->templateNotice().empty());
        ChatPrompt p = threeTurns("Answer briefly.");
        const PreparedPrompt prepared = session->preparePrompt(p, 32);
        QVERIFY(prepared.text.rfind("<s>[INST] <<SYS>>\nAnswer briefly.", 0) == 0);
        QCOMPARE(prepared.tokens.front(), int32_t(1));
        std::string answer;
        const ChatAnswerStats stats = session->generate(p, SamplingParams{}, 16, [&](const std::string& piece) {
            answer += piece;
            return true;
        }, nullptr);
        QVERIFY(stats.generation.generatedTokens > 0);
        QCOMPARE(stats.contextUsed, int64_t(prepared.tokens.size()) + stats.generation.generatedTokens);
        QVERIFY(answer.find("[INST]") == std::string::npos);
    }

    void readsTokenizerConfig() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string folder = dir.path().toStdString();
        QCOMPARE(readChatTemplate(folder), std::string());
        writeFile(dir.filePath("tokenizer_config.json"), "{\"bos_token\": \"<s>\"}");
        QCOMPARE(readChatTemplate(folder), std::string());
        writeFile(dir.filePath("tokenizer_config.json"),
                  "{\"chat_template\": \"{{'<|im_start|>' + message['role']}}\"}");
        QCOMPARE(detectChatTemplateFamily(readChatTemplate(folder)), ChatTemplateFamily::ChatML);
        // Beside a .bin file as well.
        QCOMPARE(detectChatTemplateFamily(readChatTemplate(folder + "/model.bin")), ChatTemplateFamily::ChatML);
        writeFile(dir.filePath("tokenizer_config.json"),
                  "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"<|im_start|>\"},"
                  " {\"name\": \"default\", \"template\": \"[INST] <<SYS>>\"}]}");
        QCOMPARE(detectChatTemplateFamily(readChatTemplate(folder)), ChatTemplateFamily::Llama2);
        writeFile(dir.filePath("tokenizer_config.json"), "{\"chat_template\": ");
        try {
            readChatTemplate(folder);
            QFAIL("a truncated tokenizer_config.json was accepted");
        } catch (const EngineError& e) {
            QVERIFY2(QString(e.what()).contains("tokenizer_config.json"), e.what());
        }
    }

    void trimsOldestTurnsKeepingTheSystemPrompt() {
        AQLM_REQUIRE_SHARED(kTokenizer);
        const auto tok = loadTokenizer(sharedPath(kTokenizer), 512);
        const int64_t context = 512, maxNew = 100;
        for (ChatMode mode : {ChatMode::Chat, ChatMode::Continue}) {
            const ChatPrompt shortPrompt = longStory(3, mode);
            const PreparedPrompt fits = fitChatPrompt(*tok, ChatTemplateFamily::None, shortPrompt, context, maxNew);
            QCOMPARE(fits.droppedTurns, 0);
            QVERIFY(!fits.truncated);

            const ChatPrompt prompt = longStory(41, mode);
            const PreparedPrompt p = fitChatPrompt(*tok, ChatTemplateFamily::None, prompt, context, maxNew);
            QVERIFY(p.droppedTurns > 0);
            QVERIFY(!p.truncated);
            QVERIFY(int64_t(p.tokens.size()) <= context - maxNew);
            QVERIFY(p.text.rfind("Tell a kind story.", 0) == 0);
            QVERIFY(p.text.find("Turn 40:") != std::string::npos);
            QVERIFY(p.text.find("Turn 0:") == std::string::npos);
            // Minimal: keeping the previous (user-first in chat mode) turn as well would not fit.
            ChatPrompt more = prompt;
            const int step = mode == ChatMode::Chat ? 2 : 1;
            more.turns.erase(more.turns.begin(), more.turns.begin() + (p.droppedTurns - step));
            const auto longer = tokenizeChatPrompt(*tok, ChatTemplateFamily::None, mode,
                                                   renderChatPrompt(ChatTemplateFamily::None, more));
            QVERIFY(int64_t(longer.size()) > context - maxNew);
        }
        // One turn longer than the context keeps BOS and its newest tokens.
        ChatPrompt huge;
        huge.mode = ChatMode::Continue;
        std::string text;
        for (int i = 0; i < 300; ++i) text += "The cat sat. ";
        huge.turns = {{ChatRole::User, text + "The end"}};
        const PreparedPrompt cut = fitChatPrompt(*tok, ChatTemplateFamily::None, huge, context, maxNew);
        QVERIFY(cut.truncated);
        QCOMPARE(int64_t(cut.tokens.size()), context - maxNew);
        QCOMPARE(cut.tokens.front(), tok->bosId());
        QVERIFY(cut.text.find("The end") != std::string::npos);
    }

    void sessionStreamsWithStatistics() {
        AQLM_REQUIRE_SHARED(kModel);
        auto session = ChatSession::open(sharedPath(kModel));
        QCOMPARE(session->templateFamily(), ChatTemplateFamily::None);
        QVERIFY(!session->hasChatTemplate());
        QVERIFY(!session->templateNotice().empty());
        QCOMPARE(session->contextLength(), int64_t(512));
        QVERIFY2(session->kernelDescription().find("dense fp32") != std::string::npos,
                 session->kernelDescription().c_str());

        ChatPrompt p;
        p.mode = ChatMode::Continue;
        p.turns = {{ChatRole::User, "Once upon a time"}};
        SamplingParams sampling;
        std::string streamed;
        int pieces = 0;
        const ChatAnswerStats stats = session->generate(p, sampling, 40, [&](const std::string& piece) {
            streamed += piece;
            ++pieces;
            return true;
        }, nullptr);
        QVERIFY(!streamed.empty());
        QCOMPARE(int64_t(pieces), stats.generation.generatedTokens);
        QCOMPARE(stats.contextUsed, stats.generation.promptTokens + stats.generation.generatedTokens);
        QCOMPARE(stats.contextLength, int64_t(512));
        QVERIFY(stats.generation.timeToFirstTokenMs > 0);
        QVERIFY(!stats.kernel.empty());

        // Cancelling from the callback stops before the next token.
        CancelToken cancel;
        int counted = 0;
        const ChatAnswerStats stopped = session->generate(p, sampling, 40, [&](const std::string&) {
            if (++counted == 5) cancel.cancel();
            return true;
        }, &cancel);
        QCOMPARE(stopped.generation.stopReason, std::string("cancelled"));
        QCOMPARE(stopped.generation.generatedTokens, int64_t(5));
    }

    void missingModelIsAClearError() {
        try {
            ChatSession::open("/nonexistent/model.bin");
            QFAIL("opening a missing model succeeded");
        } catch (const EngineError& e) {
            QVERIFY2(QString(e.what()).contains("/nonexistent/model.bin"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestChatSession)
#include "tst_chat_session.moc"
