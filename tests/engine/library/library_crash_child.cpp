// The child process of tst_library_kill: writes to a model library the way the app does and is
// SIGKILLed while it works. Never part of the app.
//
//   library_crash_child chat DB JOURNAL MODEL [KILL_AT_ANSWER KILL_AT_PIECE]
//     Adds MODEL to the library, starts a conversation and keeps chatting with it as the Chat page
//     does: the user's message is stored, the answer is streamed piece by piece from a ChatSession
//     and stored when it ends. With KILL_AT_ANSWER N and KILL_AT_PIECE P the process SIGKILLs
//     itself while streaming its N-th answer, at its P-th piece (after its last piece, before it
//     is stored, when it has fewer).
//   library_crash_child import DB JOURNAL MODEL TOKENIZER WORKDIR
//     Imports models one after the other as the Library page's import does (inspect the file, then
//     add its record): each is MODEL with its TOKENIZER in a new folder WORKDIR/mN (hard links).
//
// After each commit it appends "<row id>\t<hex of what was stored>\n" to JOURNAL and fdatasyncs it,
// and prints "committed <id>" on stdout; so the journal lists every commit but perhaps the last one.
#include "engine/api/chat_session.h"
#include "engine/api/engine_facade.h"
#include "engine/library/model_library.h"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;

namespace {

std::string hex(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

class Journal {
public:
    explicit Journal(const std::string& path) : m_fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644)) {
        if (m_fd < 0) std::exit(3);
    }
    void committed(int64_t id, const std::string& stored) {
        const std::string line = std::to_string(id) + "\t" + hex(stored) + "\n";
        if (::write(m_fd, line.data(), line.size()) != ssize_t(line.size()) || ::fdatasync(m_fd) != 0) std::exit(4);
        std::printf("committed %lld\n", static_cast<long long>(id));
        std::fflush(stdout);
    }

private:
    int m_fd;
};

int64_t addModel(aqlm::ModelLibrary& library, const std::string& path, const std::string& name) {
    const std::string key = fs::absolute(path).lexically_normal().string();
    return library.addModel(aqlm::modelRecordFromInfo(aqlm::inspectModel(key), key, name));
}

int chat(const std::string& db, const std::string& journalPath, const std::string& model, long killAtAnswer,
         long killAtPiece) {
    aqlm::ModelLibrary library(db);
    Journal journal(journalPath);
    const int64_t modelId = addModel(library, model, fs::path(model).stem().string());
    aqlm::RuntimeOptions runtime;
    runtime.threads = 1;
    const auto session = aqlm::ChatSession::open(model, runtime);
    aqlm::ChatRecord conversation;
    conversation.modelId = modelId;
    conversation.title = "crash test";
    conversation.mode = aqlm::chatModeName(aqlm::ChatMode::Chat);
    const int64_t chatId = library.createChat(conversation);
    aqlm::ChatPrompt prompt;
    prompt.mode = aqlm::ChatMode::Chat;
    for (long answer = 1;; ++answer) {
        aqlm::MessageRecord user;
        user.chatId = chatId;
        user.role = aqlm::MessageRole::User;
        user.content = "Tell me story number " + std::to_string(answer) + " about a cat.";
        journal.committed(library.addMessage(user), user.content);
        prompt.turns.push_back({aqlm::ChatRole::User, user.content});

        aqlm::SamplingParams sampling;
        sampling.temperature = 0.8f;
        sampling.seed = static_cast<uint64_t>(answer);
        std::string text;
        long pieces = 0;
        const aqlm::ChatAnswerStats stats = session->generate(prompt, sampling, 48, [&](const std::string& piece) {
            text += piece;
            if (answer == killAtAnswer && ++pieces == killAtPiece) ::raise(SIGKILL);  // mid-stream
            return true;
        }, nullptr);
        if (answer == killAtAnswer) ::raise(SIGKILL);  // a shorter answer: killed after its last piece, unstored
        aqlm::MessageRecord reply;
        reply.chatId = chatId;
        reply.role = aqlm::MessageRole::Assistant;
        reply.content = text;
        reply.modelId = modelId;
        reply.modelName = "stories";
        reply.tokens = stats.generation.generatedTokens;
        reply.tokensPerSecond = stats.generation.decodeTokensPerSecond;
        reply.contextUsed = stats.contextUsed;
        reply.kernel = stats.kernel;
        journal.committed(library.addMessage(reply), reply.content);
        prompt.turns.push_back({aqlm::ChatRole::Assistant, text});
        if (prompt.turns.size() > 6) prompt.turns.erase(prompt.turns.begin(), prompt.turns.begin() + 2);
    }
}

int import(const std::string& db, const std::string& journalPath, const std::string& model, const std::string& tokenizer,
           const std::string& workDir) {
    aqlm::ModelLibrary library(db);
    Journal journal(journalPath);
    for (long i = 0;; ++i) {
        const fs::path folder = fs::path(workDir) / ("m" + std::to_string(i));
        if (fs::exists(folder)) continue;  // imported by an earlier run (or its folder made before a kill)
        fs::create_directories(folder);
        for (const std::string& file : {model, tokenizer}) {
            const fs::path to = folder / fs::path(file).filename();
            std::error_code ec;
            fs::create_hard_link(file, to, ec);
            if (ec) fs::copy_file(file, to);
        }
        const fs::path path = folder / fs::path(model).filename();
        const int64_t id = addModel(library, path.string(), folder.filename().string());
        journal.committed(id, fs::absolute(path).lexically_normal().string());
    }
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::string mode = argc > 1 ? argv[1] : "";
        if (mode == "chat" && (argc == 5 || argc == 7))
            return chat(argv[2], argv[3], argv[4], argc == 7 ? std::atol(argv[5]) : 0, argc == 7 ? std::atol(argv[6]) : 0);
        if (mode == "import" && argc == 7) return import(argv[2], argv[3], argv[4], argv[5], argv[6]);
        std::fprintf(stderr, "usage: library_crash_child chat DB JOURNAL MODEL [KILL_AT_ANSWER KILL_AT_PIECE]\n"
                             "       library_crash_child import DB JOURNAL MODEL TOKENIZER WORKDIR\n");
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "library_crash_child: %s\n", e.what());
        return 1;
    }
}
