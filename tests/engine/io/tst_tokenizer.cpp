// Tokenizers: golden ids, llama2.c binary vs SentencePiece agreement, run.c exactness, decoding, errors.
#include "engine/api/engine_error.h"
#include "engine/io/llama2c_tokenizer.h"
#include "engine/io/sentencepiece_tokenizer.h"
#include "engine/io/tokenizer.h"
#include "shared_paths.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>

using aqlm::EngineError;
using aqlm::Tokenizer;
using Ids = std::vector<int32_t>;

namespace {

const char* kLlama2Bin = "models/llama2-tokenizer/tokenizer.bin";
const char* kLlama2Model = "models/llama2-tokenizer/tokenizer.model";
const char* kTok512Bin = "models/stories260K/tok512.bin";
const char* kTok512Model = "models/stories260K/tok512.model";
const char* kRef7MBin = "models/reference-7M/tokenizer.bin";
const char* kRef7MModel = "models/reference-7M/tokenizer.model";
const char* kValidText = "data/tinystories/tinystories_valid_head.txt";
const char* kTrainText = "data/tinystories/tinystories_train_head_2MiB.txt";
const char* kGolden = "golden/stories260K.txt";

// Unicode the 512-piece vocabulary lacks, so most of it goes through byte fallback.
const std::string kUnicodeText =
    "Grüße aus Zürich! Привет, мир. 日本語のテキスト 🦙🚀👩‍👩‍👧 naïve café — “quotes” … ½ ∑ x² ✓\ttab\nnew line";

std::unique_ptr<Tokenizer> load(const char* relative, int32_t vocab = 0) {
    return aqlm::loadTokenizer(aqlm::test::sharedPath(relative), vocab);
}

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

// The first maxBytes of a text, cut after a line so that no UTF-8 character is split.
std::string headLines(const std::string& text, size_t maxBytes) {
    if (text.size() <= maxBytes) return text;
    const size_t cut = text.rfind('\n', maxBytes - 1);
    return text.substr(0, cut == std::string::npos ? 0 : cut + 1);
}

// SentencePiece's remove_extra_whitespaces: no leading or trailing spaces, no runs of spaces.
std::string collapseSpaces(const std::string& text) {
    std::string out;
    for (const char c : text)
        if (c != ' ' || (!out.empty() && out.back() != ' ')) out += c;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

QString idsToString(const Ids& ids) {
    QStringList parts;
    for (const int32_t id : ids) parts << QString::number(id);
    return parts.join(' ');
}

// Like QCOMPARE on id vectors, but a failure shows where they part.
bool sameIds(const Ids& actual, const Ids& expected) {
    if (actual == expected) return true;
    size_t i = 0;
    while (i < actual.size() && i < expected.size() && actual[i] == expected[i]) ++i;
    qWarning("ids differ at %zu (sizes %zu vs %zu): ... %s | ... %s", i, actual.size(), expected.size(),
             qPrintable(idsToString(Ids(actual.begin() + long(i), actual.begin() + long(std::min(i + 8, actual.size()))))),
             qPrintable(idsToString(Ids(expected.begin() + long(i), expected.begin() + long(std::min(i + 8, expected.size()))))));
    return false;
}

// llama2.c run.c's encode(), ported literally (O(n^2)), as the reference for the fast encoder.
Ids runCEncode(const aqlm::Llama2cTokenizer& tok, const std::map<std::string, int32_t>& vocab, const std::string& text) {
    const auto lookup = [&](const std::string& s) {
        const auto it = vocab.find(s);
        return it == vocab.end() ? -1 : it->second;
    };
    Ids tokens{1};
    if (!text.empty()) tokens.push_back(lookup(" "));
    std::string buffer;
    for (size_t c = 0; c < text.size(); ++c) {
        if ((text[c] & 0xC0) != 0x80) buffer.clear();
        buffer += text[c];
        if (c + 1 < text.size() && (text[c + 1] & 0xC0) == 0x80 && buffer.size() < 4) continue;
        const int32_t id = lookup(buffer);
        if (id != -1) {
            tokens.push_back(id);
        } else {
            for (const char b : buffer) tokens.push_back(static_cast<unsigned char>(b) + 3);
        }
        buffer.clear();
    }
    while (true) {
        float bestScore = -1e10f;
        int32_t bestId = -1;
        long bestIndex = -1;
        for (size_t i = 0; i + 1 < tokens.size(); ++i) {
            const int32_t id = lookup(tok.piece(tokens[i]) + tok.piece(tokens[i + 1]));
            if (id != -1 && tok.score(id) > bestScore) {
                bestScore = tok.score(id);
                bestId = id;
                bestIndex = long(i);
            }
        }
        if (bestIndex == -1) break;
        tokens[size_t(bestIndex)] = bestId;
        tokens.erase(tokens.begin() + bestIndex + 1);
    }
    return tokens;
}

// Runs f, which must throw EngineError naming path; returns its message.
QString expectEngineError(const std::function<void()>& f, const std::string& path) {
    try {
        f();
    } catch (const EngineError& e) {
        const QString message = QString::fromStdString(e.what());
        if (!message.contains(QString::fromStdString(path)))
            qWarning("message lacks the path: %s", e.what());
        return message.contains(QString::fromStdString(path)) ? message : QString();
    } catch (const std::exception& e) {
        qWarning("wrong exception type: %s", e.what());
        return {};
    }
    qWarning("no exception for %s", path.c_str());
    return {};
}

}  // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void llama2Vectors_data();
    void llama2Vectors();
    void stories260KPrompt_data();
    void stories260KPrompt();
    void goldenGreedyDecode();
    void tok512BinaryMatchesSentencePiece();
    void reference7MBinaryMatchesSentencePiece();
    void decodePieceAgrees();
    void roundTripAndDummyPrefix();
    void whitespaceNormalizationDiffers();
    void fastEncoderMatchesRunC();
    void wholeValidFileMatchesSentencePiece();
    void twoMegabytesEncodesAndRoundTrips();
    void errors();
};

void TestTokenizer::llama2Vectors_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("tokenizer.bin") << QString(kLlama2Bin);
    QTest::newRow("tokenizer.model") << QString(kLlama2Model);
}

// Expected ids from llama2.c's test.c, which took them from Meta's SentencePiece.
void TestTokenizer::llama2Vectors() {
    QFETCH(QString, file);
    const std::string relative = file.toStdString();
    AQLM_REQUIRE_SHARED(relative);
    const auto tok = load(relative.c_str(), 32000);
    QCOMPARE(tok->vocabSize(), 32000);
    QCOMPARE(tok->bosId(), 1);
    QCOMPARE(tok->eosId(), 2);
    QCOMPARE(tok->encode("I believe the meaning of life is", true), (Ids{1, 306, 4658, 278, 6593, 310, 2834, 338}));
    QCOMPARE(tok->encode("Simply put, the theory of relativity states that ", true),
             (Ids{1, 3439, 17632, 1925, 29892, 278, 6368, 310, 14215, 537, 5922, 393, 29871}));
    QCOMPARE(tok->encode("", true), Ids{1});
    QCOMPARE(tok->encode("", false), Ids{});
    QCOMPARE(tok->encode("I believe", false), (Ids{306, 4658}));
}

void TestTokenizer::stories260KPrompt_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("description");
    QTest::newRow("tok512.bin") << QString(kTok512Bin) << "llama2.c tokenizer tok512.bin (512 pieces)";
    QTest::newRow("tok512.model") << QString(kTok512Model) << "sentencepiece tok512.model (512 pieces)";
}

// Prompt encoding from golden/stories260K.txt (run.c).
void TestTokenizer::stories260KPrompt() {
    QFETCH(QString, file);
    QFETCH(QString, description);
    const std::string relative = file.toStdString();
    AQLM_REQUIRE_SHARED(relative);
    const auto tok = load(relative.c_str(), 512);
    QCOMPARE(QString::fromStdString(tok->describe()), description);
    QCOMPARE(tok->vocabSize(), 512);
    QCOMPARE(tok->encode("Once upon a time", true), (Ids{1, 403, 407, 261, 378}));
}

// Decoding run.c's greedy ids reproduces what run.c printed, for both file formats.
void TestTokenizer::goldenGreedyDecode() {
    AQLM_REQUIRE_SHARED(kGolden);
    AQLM_REQUIRE_SHARED(kTok512Bin);
    AQLM_REQUIRE_SHARED(kTok512Model);
    const std::string golden = readBytes(aqlm::test::sharedPath(kGolden));
    const size_t idsStart = golden.find('\n', golden.find("Full token sequence"));
    const size_t idsEnd = golden.find("Decoded text", idsStart);
    const size_t textStart = golden.find("<<<\n", idsEnd);
    const size_t textEnd = golden.find("\n>>>", textStart);
    QVERIFY(idsStart != std::string::npos && idsEnd != std::string::npos);
    QVERIFY(textStart != std::string::npos && textEnd != std::string::npos);
    Ids ids;
    std::istringstream numbers(golden.substr(idsStart, idsEnd - idsStart));
    for (int32_t id; numbers >> id;) ids.push_back(id);
    QCOMPARE(ids.size(), size_t(257));
    const std::string text = golden.substr(textStart + 4, textEnd - textStart - 4);

    for (const char* file : {kTok512Bin, kTok512Model}) {
        const auto tok = load(file, 512);
        std::string printed;  // run.c's generate loop: decode(prev, next) for each new token
        for (size_t i = 1; i < ids.size(); ++i) printed += tok->decodePiece(ids[i - 1], ids[i]);
        QVERIFY(QString::fromStdString(printed).startsWith("Once upon a time, there was a little girl named Lily."));
        QCOMPARE(QString::fromStdString(printed), QString::fromStdString(text));
        QCOMPARE(QString::fromStdString(tok->decode(ids)), QString::fromStdString(text));
    }
}

void TestTokenizer::tok512BinaryMatchesSentencePiece() {
    AQLM_REQUIRE_SHARED(kTok512Bin);
    AQLM_REQUIRE_SHARED(kTok512Model);
    AQLM_REQUIRE_SHARED(kValidText);
    const auto bin = load(kTok512Bin, 512);
    const auto model = load(kTok512Model);
    const std::string head = headLines(readBytes(aqlm::test::sharedPath(kValidText)), 20 * 1024);
    QVERIFY(head.size() > 19 * 1024);
    const Ids ids = bin->encode(head, true);
    QVERIFY(sameIds(ids, model->encode(head, true)));
    QCOMPARE(bin->decode(ids), head);

    const Ids unicode = bin->encode(kUnicodeText, true);
    QVERIFY(sameIds(unicode, model->encode(kUnicodeText, true)));
    QCOMPARE(bin->decode(unicode), kUnicodeText);
    QCOMPARE(model->decode(unicode), kUnicodeText);
    // The llama emoji F0 9F A6 99 is not a piece: four byte-fallback ids (byte + 3).
    const Ids llama = bin->encode("🦙", false);
    QCOMPARE(llama, (Ids{410, 0xF0 + 3, 0x9F + 3, 0xA6 + 3, 0x99 + 3}));
    QCOMPARE(bin->decodePiece(410, 0xF0 + 3), std::string("\xF0"));
    QCOMPARE(model->decodePiece(1, 0x20 + 3), std::string(" "));  // a byte piece keeps its space after BOS
}

void TestTokenizer::reference7MBinaryMatchesSentencePiece() {
    AQLM_REQUIRE_SHARED(kRef7MBin);
    AQLM_REQUIRE_SHARED(kRef7MModel);
    AQLM_REQUIRE_SHARED(kValidText);
    const auto bin = load(kRef7MBin, 4096);
    const auto model = load(kRef7MModel);
    QCOMPARE(model->vocabSize(), 4096);
    const std::string head = headLines(readBytes(aqlm::test::sharedPath(kValidText)), 100 * 1024);
    QVERIFY(head.size() > 99 * 1024);
    const Ids ids = bin->encode(head, true);
    QVERIFY(sameIds(ids, model->encode(head, true)));
    QCOMPARE(bin->decode(ids), head);
    QCOMPARE(model->decode(ids), head);
    QVERIFY(sameIds(bin->encode(kUnicodeText, true), model->encode(kUnicodeText, true)));
}

// Both formats print the same text for every id, after BOS and elsewhere; control pieces print nothing.
void TestTokenizer::decodePieceAgrees() {
    const std::pair<const char*, const char*> pairs[] = {{kTok512Bin, kTok512Model}, {kRef7MBin, kRef7MModel}};
    for (const auto& [binFile, modelFile] : pairs) {
        AQLM_REQUIRE_SHARED(binFile);
        AQLM_REQUIRE_SHARED(modelFile);
        const auto model = load(modelFile);
        const auto bin = load(binFile, model->vocabSize());
        for (int32_t id = 0; id < model->vocabSize(); ++id)
            for (const int32_t previous : {1, 300})
                QCOMPARE(bin->decodePiece(previous, id), model->decodePiece(previous, id));
        for (const auto* tok : {bin.get(), model.get()}) {
            QCOMPARE(tok->decodePiece(5, 0), std::string());  // <unk>
            QCOMPARE(tok->decodePiece(5, 1), std::string());  // <s>
            QCOMPARE(tok->decodePiece(5, 2), std::string());  // </s>
            QCOMPARE(tok->decodePiece(5, 13), std::string("\n"));  // <0x0A>
            QVERIFY_THROWS_EXCEPTION(EngineError, tok->decodePiece(1, tok->vocabSize()));
            QVERIFY_THROWS_EXCEPTION(EngineError, tok->decodePiece(1, -1));
        }
    }
}

// With BOS the dummy-prefix space is dropped again on decode (run.c strips one leading space after
// BOS), so the text comes back exactly, a leading space of its own included; without BOS it stays.
void TestTokenizer::roundTripAndDummyPrefix() {
    for (const char* file : {kTok512Bin, kLlama2Bin, kLlama2Model}) {
        AQLM_REQUIRE_SHARED(file);
        const auto tok = load(file, file == kTok512Bin ? 512 : 32000);
        for (const std::string text : {"Once upon a time", " leading space", "two  spaces ", "\n\nnewlines\n", "x"}) {
            QCOMPARE(tok->decode(tok->encode(text, true)), text);
            QCOMPARE(tok->decode(tok->encode(text, false)), " " + text);
        }
        QCOMPARE(tok->decode(tok->encode("", true)), std::string());
        QCOMPARE(tok->decode({}), std::string());
    }
}

// tok512.model and reference-7M's model keep SentencePiece's default remove_extra_whitespaces (the
// Llama 2 model turns it off); llama2.c's run.c never normalizes. The two agree once spaces are collapsed.
void TestTokenizer::whitespaceNormalizationDiffers() {
    AQLM_REQUIRE_SHARED(kTok512Bin);
    AQLM_REQUIRE_SHARED(kTok512Model);
    const auto bin = load(kTok512Bin, 512);
    const auto model = load(kTok512Model);
    for (const std::string text : {" lead", "a  b", "trail ", "  many   spaces  here  "}) {
        QCOMPARE(model->encode(text, true), bin->encode(collapseSpaces(text), true));
        QVERIFY(model->encode(text, true) != bin->encode(text, true));
        QCOMPARE(bin->decode(bin->encode(text, true)), text);
        QCOMPARE(model->decode(model->encode(text, true)), collapseSpaces(text));
    }
    QCOMPARE(bin->encode("a  b", false), (Ids{261, 410, 268}));  // " a", " ", " b"
    QCOMPARE(model->encode("a  b", false), (Ids{261, 268}));
}

// The O(n log n) encoder against a literal port of run.c on random text: spaces and newlines,
// multi-byte and missing characters, stray UTF-8 bytes, and text that spells special pieces.
void TestTokenizer::fastEncoderMatchesRunC() {
    const std::vector<std::string> atoms = {
        "a", "b", "e", "t", "h", "the", "an", "d", " ", " ", "  ", "\n", ".", ",", "!", "Once", " upon", " time",
        "Lily", "ü", "é", "日", "🦙", "\xE2\x80", "\x9C", "\xFF", "<0x41>", "<unk>", "\n<s>\n", "0", "x", "<", ">"};
    std::mt19937 rng(12345);
    for (const auto& [file, vocab] : {std::pair{kTok512Bin, 512}, std::pair{kRef7MBin, 4096}, std::pair{kLlama2Bin, 32000}}) {
        AQLM_REQUIRE_SHARED(file);
        const aqlm::Llama2cTokenizer tok(aqlm::test::sharedPath(file), vocab);
        std::map<std::string, int32_t> pieces;
        for (int32_t id = 0; id < tok.vocabSize(); ++id) pieces.emplace(tok.piece(id), id);
        for (int round = 0; round < 300; ++round) {
            std::string text;
            const int length = std::uniform_int_distribution<int>(0, 40)(rng);
            for (int i = 0; i < length; ++i) text += atoms[std::uniform_int_distribution<size_t>(0, atoms.size() - 1)(rng)];
            const Ids expected = runCEncode(tok, pieces, text);
            if (!sameIds(tok.encode(text, true), expected)) QFAIL(qPrintable("text: " + QString::fromStdString(text)));
        }
        // Long runs of one character: many equal-score pairs, where the leftmost must win.
        for (const std::string& text : {std::string(37, 'a'), std::string(50, ' '), std::string(23, '\n'), std::string("aaaa bbbb  aaaa")})
            QVERIFY(sameIds(tok.encode(text, true), runCEncode(tok, pieces, text)));
    }
}

// The whole 794 KB validation file. Llama 2's vocabulary (no whitespace normalization) must match
// SentencePiece on the raw text; reference-7M's model collapses spaces, so it is compared to
// llama2.c on the collapsed text. Either way every id of the fast encoder has to be right.
void TestTokenizer::wholeValidFileMatchesSentencePiece() {
    AQLM_REQUIRE_SHARED(kRef7MBin);
    AQLM_REQUIRE_SHARED(kRef7MModel);
    AQLM_REQUIRE_SHARED(kValidText);
    const std::string text = readBytes(aqlm::test::sharedPath(kValidText));
    QCOMPARE(text.size(), size_t(794375));
    const auto bin = load(kRef7MBin, 4096);
    const auto model = load(kRef7MModel);

    QElapsedTimer timer;
    timer.start();
    const Ids fast = bin->encode(text, true);
    qInfo("llama2.c encoder: %zu bytes -> %zu tokens in %lld ms", text.size(), fast.size(), timer.elapsed());
    QCOMPARE(bin->decode(fast), text);

    const Ids reference = model->encode(text, true);
    QVERIFY(sameIds(bin->encode(collapseSpaces(text), true), reference));
    QVERIFY(fast.size() > reference.size());  // the file has a few double spaces

    if (!aqlm::test::sharedExists(kLlama2Bin) || !aqlm::test::sharedExists(kLlama2Model)) return;
    QVERIFY(sameIds(load(kLlama2Bin, 32000)->encode(text, true), load(kLlama2Model)->encode(text, true)));
}

void TestTokenizer::twoMegabytesEncodesAndRoundTrips() {
    AQLM_REQUIRE_SHARED(kLlama2Bin);
    AQLM_REQUIRE_SHARED(kTrainText);
    const std::string text = readBytes(aqlm::test::sharedPath(kTrainText));
    const auto tok = load(kLlama2Bin, 32000);
    QElapsedTimer timer;
    timer.start();
    const Ids ids = tok->encode(text, true);
    qInfo("llama2.c encoder, 32000 pieces: %zu bytes -> %zu tokens in %lld ms", text.size(), ids.size(), timer.elapsed());
    QVERIFY(ids.size() > text.size() / 6);
    QCOMPARE(tok->decode(ids), text);  // completes at all: run.c's O(n^2) merging would take hours
}

void TestTokenizer::errors() {
    AQLM_REQUIRE_SHARED(kTok512Bin);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string root = dir.path().toStdString();
    const std::string original = readBytes(aqlm::test::sharedPath(kTok512Bin));

    const std::string missingBin = root + "/missing.bin";
    QVERIFY(!expectEngineError([&] { aqlm::loadTokenizer(missingBin, 512); }, missingBin).isEmpty());
    const std::string missingModel = root + "/missing.model";
    QVERIFY(!expectEngineError([&] { aqlm::loadTokenizer(missingModel, 0); }, missingModel).isEmpty());
    QVERIFY(!expectEngineError([&] { aqlm::loadTokenizer(root, 512); }, root).isEmpty());

    const std::string truncated = root + "/truncated.bin";
    writeBytes(truncated, original.substr(0, original.size() / 2));
    QVERIFY(expectEngineError([&] { aqlm::loadTokenizer(truncated, 512); }, truncated).contains("truncated"));
    // Cut inside the bytes of the last record: its length runs past the end.
    writeBytes(truncated, original.substr(0, original.size() - 2));
    QVERIFY(expectEngineError([&] { aqlm::loadTokenizer(truncated, 512); }, truncated).contains("past the end"));
    for (const size_t size : {size_t(0), size_t(3), size_t(4), size_t(9)}) {
        writeBytes(truncated, original.substr(0, size));
        QVERIFY(!expectEngineError([&] { aqlm::loadTokenizer(truncated, 512); }, truncated).isEmpty());
    }

    const std::string good = root + "/tok512.bin";
    writeBytes(good, original);
    QCOMPARE(aqlm::loadTokenizer(good, 512)->vocabSize(), 512);
    QVERIFY(expectEngineError([&] { aqlm::loadTokenizer(good, 513); }, good).contains("truncated"));
    QVERIFY(expectEngineError([&] { aqlm::loadTokenizer(good, 511); }, good).contains("left after"));
    QVERIFY(expectEngineError([&] { aqlm::loadTokenizer(good, 1 << 30); }, good).contains("truncated"));
    QVERIFY(expectEngineError([&] { aqlm::loadTokenizer(good, 0); }, good).contains("at least 3"));
    QVERIFY(expectEngineError([&] { aqlm::loadTokenizer(good, -5); }, good).contains("at least 3"));
    // Ids 1 and 2 are BOS and EOS: a smaller vocabulary cannot hold them (found by fuzzing).
    QVERIFY(expectEngineError([&] { aqlm::loadTokenizer(good, 2); }, good).contains("at least 3"));

    const std::string negative = root + "/negative.bin";
    std::string corrupt = original;
    const int32_t minusOne = -1;
    std::memcpy(&corrupt[4 + 4], &minusOne, 4);  // length of piece 0
    writeBytes(negative, corrupt);
    QVERIFY(!expectEngineError([&] { aqlm::loadTokenizer(negative, 512); }, negative).isEmpty());

    std::mt19937 rng(7);
    std::string noise(5000, '\0');
    for (char& c : noise) c = char(rng());
    const std::string garbageBin = root + "/garbage.bin";
    writeBytes(garbageBin, "this is not a tokenizer, just some text\n" + noise);
    QVERIFY(!expectEngineError([&] { aqlm::loadTokenizer(garbageBin, 512); }, garbageBin).isEmpty());

    const std::string garbageModel = root + "/garbage.model";
    writeBytes(garbageModel, "this is not a SentencePiece model\n" + noise);
    QVERIFY(!expectEngineError([&] { aqlm::loadTokenizer(garbageModel, 0); }, garbageModel).isEmpty());
    const std::string emptyModel = root + "/empty.model";
    writeBytes(emptyModel, "");
    QVERIFY(!expectEngineError([&] { aqlm::loadTokenizer(emptyModel, 0); }, emptyModel).isEmpty());
    // A llama2.c file named .model is opened as SentencePiece and must be rejected, not misread.
    const std::string misnamed = root + "/tok512.model";
    writeBytes(misnamed, original);
    QVERIFY(!expectEngineError([&] { aqlm::loadTokenizer(misnamed, 0); }, misnamed).isEmpty());
}

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
