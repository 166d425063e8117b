// The SQLite model library: round trips of every record kind, cascades, schema migrations and
// refusals (newer schema, non-SQLite file), WAL mode, crash safety under SIGKILL, and SHA-256.
#include "engine/api/engine_error.h"
#include "engine/library/model_library.h"
#include "engine/library/sha256.h"
#include "engine/library/sqlite_db.h"

#include <QtTest/QtTest>

#include "raw_sqlite.h"

#include <sqlite3.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

using namespace aqlm;

namespace {


ModelRecord sampleModel(const std::string& path, const std::string& name) {
    ModelRecord m;
    m.name = name;
    m.path = path;
    m.format = "hf";
    m.architecture = "llama";
    m.dim = 256;
    m.layers = 8;
    m.heads = 8;
    m.kvHeads = 4;
    m.hiddenDim = 768;
    m.vocab = 4096;
    m.context = 256;
    m.parameters = 7'000'000;
    m.dtype = "float16";
    m.bytesOnDisk = 14'000'000;
    m.tokenizer = path + "/tokenizer.model";
    m.createdAt = 1'700'000'000;
    return m;
}

RunRecord sampleRun(int64_t baseId) {
    RunRecord r;
    r.baseModelId = baseId;
    r.method = "aqlm";
    r.settingsJson = R"({"scheme":"2x8g8","nsamples":128,"seed":7})";
    r.outputPath = "/models/out";
    return r;
}

void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The crash-safety child: commits one model per transaction and, after each commit, records the
// count in a side file (fdatasync'ed). Never returns; never touches Qt (it is a fork of the test).
[[noreturn]] void runChildWriter(const std::string& dbPath, const std::string& countPath) {
    try {
        ModelLibrary library(dbPath);
        const int fd = ::open(countPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) _exit(3);
        const std::string padding(6000, 'x');  // overflow pages: the WAL passes the auto-checkpoint size mid-run
        for (long long i = 0;; ++i) {
            ModelRecord m = sampleModel("/child/" + std::to_string(i), "child");
            m.tokenizer = padding;
            library.addModel(m);
            char line[32];
            const int n = std::snprintf(line, sizeof line, "%20lld\n", i + 1);  // fixed width
            if (::pwrite(fd, line, size_t(n), 0) != n || ::fdatasync(fd) != 0) _exit(4);
        }
    } catch (...) {
        _exit(2);
    }
}

// One of two app instances writing at once: its own models, one transaction each, and reads
// between them. Exit code 0 when every write succeeded and was read back.
[[noreturn]] void runConcurrentWriter(const std::string& dbPath, const std::string& who, int count) {
    try {
        ModelLibrary library(dbPath);
        for (int i = 0; i < count; ++i) {
            library.addModel(sampleModel("/" + who + "/" + std::to_string(i), who));
            if (!library.findModelByPath("/" + who + "/" + std::to_string(i))) _exit(5);
            (void)library.listModels();
        }
        _exit(0);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
        _exit(2);
    }
}

long long readCount(const std::string& countPath) {
    const std::string text = readFile(countPath);
    return text.empty() ? 0 : std::atoll(text.c_str());
}

}  // namespace

class TestModelLibrary : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void sha256KnownVectors();
    void sha256StreamsAndHashesFiles();
    void freshLibraryIsMigratedAndWal();
    void versionZeroDatabaseIsMigrated();
    void newerVersionIsRefused();
    void garbageFileIsRefusedNamingIt();
    void twoConnectionsShareTheFile();
    void modelRoundTripAndUpsert();
    void variantRoundTrip();
    void runQueueRoundTrip();
    void reportsRoundTrip();
    void evaluationsRoundTrip();
    void deletingBaseCascades();
    void deletingVariantKeepsRunHistory();
    void failedTransactionRollsBack();
    void survivesSigkillMidWrite();
    void twoProcessesWriteAtOnce();

private:
    std::string path(const char* name) const { return (m_dir->path() + "/" + name).toStdString(); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestModelLibrary::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestModelLibrary::cleanup() { m_dir.reset(); }

void TestModelLibrary::sha256KnownVectors() {
    // FIPS 180-4 / NIST example vectors.
    QCOMPARE(sha256Hex(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(sha256Hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
             std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    QCOMPARE(sha256Hex(std::string(1'000'000, 'a')),
             std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

void TestModelLibrary::sha256StreamsAndHashesFiles() {
    std::string data;
    for (int i = 0; i < 5000; ++i) data += char(i * 31 + 7);
    Sha256 chunked;  // uneven pieces cross the 64-byte block boundary in every phase
    for (size_t at = 0, step = 1; at < data.size(); at += step, step = step % 97 + 1)
        chunked.update(data.data() + at, std::min(step, data.size() - at));
    QCOMPARE(chunked.finishHex(), sha256Hex(data));

    const std::string file = path("data.bin");
    writeFile(file, data);
    QCOMPARE(sha256File(file), sha256Hex(data));
    try {
        sha256File(path("missing.txt"));
        QFAIL("expected EngineError");
    } catch (const EngineError& e) {
        QCOMPARE(e.file(), path("missing.txt"));
    }
}

void TestModelLibrary::freshLibraryIsMigratedAndWal() {
    const std::string db = path("library.db");
    {
        ModelLibrary library(db);
        QCOMPARE(library.schemaVersion(), ModelLibrary::latestSchemaVersion());
        QVERIFY(ModelLibrary::latestSchemaVersion() >= 1);
        QCOMPARE(library.journalMode(), std::string("wal"));
        QCOMPARE(library.integrityCheck(), std::string("ok"));
    }
    RawDb raw(db);  // WAL is a property of the file, seen by any connection
    QCOMPARE(raw.text("PRAGMA journal_mode"), std::string("wal"));
    QCOMPARE(raw.text("SELECT version FROM schema_version"), std::to_string(ModelLibrary::latestSchemaVersion()));
    QCOMPARE(raw.text("SELECT COUNT(*) FROM schema_version"), std::string("1"));
    for (const char* table : {"models", "variants", "runs", "layer_reports", "epoch_reports", "evaluations",
                              "chats", "messages"}) {
        const std::string sql = std::string("SELECT name FROM sqlite_master WHERE type='table' AND name='") + table + "'";
        QCOMPARE(raw.text(sql.c_str()), std::string(table));
    }
    // Reopening an up-to-date library changes nothing.
    ModelLibrary again(db);
    QCOMPARE(again.schemaVersion(), ModelLibrary::latestSchemaVersion());
}

void TestModelLibrary::versionZeroDatabaseIsMigrated() {
    const std::string db = path("old.db");
    {
        RawDb raw(db);
        raw.exec("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (0);"
                 "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('kept');");
    }
    ModelLibrary library(db);
    QCOMPARE(library.schemaVersion(), ModelLibrary::latestSchemaVersion());
    QVERIFY(library.addModel(sampleModel("/m/a", "a")) > 0);
    RawDb raw(db);
    QCOMPARE(raw.text("SELECT text FROM notes"), std::string("kept"));
    QCOMPARE(raw.text("SELECT COUNT(*) FROM schema_version"), std::string("1"));
}

void TestModelLibrary::newerVersionIsRefused() {
    const std::string db = path("future.db");
    { ModelLibrary library(db); }
    const int future = ModelLibrary::latestSchemaVersion() + 1;
    {
        RawDb raw(db);
        const std::string sql = "UPDATE schema_version SET version = " + std::to_string(future);
        raw.exec(sql.c_str());
    }
    try {
        ModelLibrary library(db);
        QFAIL("a library from a newer version must be refused");
    } catch (const EngineError& e) {
        QCOMPARE(e.file(), db);
        QVERIFY2(e.problem().find("library was written by a newer version") != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find(std::to_string(future)) != std::string::npos, e.what());
    }
    RawDb raw(db);  // refused without being touched
    QCOMPARE(raw.text("SELECT version FROM schema_version"), std::to_string(future));
}

void TestModelLibrary::garbageFileIsRefusedNamingIt() {
    const std::string db = path("garbage.db");
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage += char('A' + i % 23);
    writeFile(db, garbage);
    try {
        ModelLibrary library(db);
        QFAIL("a non-SQLite file must be refused");
    } catch (const EngineError& e) {
        QCOMPARE(e.file(), db);
        QVERIFY2(std::string(e.what()).find(db) != std::string::npos, e.what());
    }
    QCOMPARE(readFile(db), garbage);  // and left as it was
}

void TestModelLibrary::twoConnectionsShareTheFile() {
    const std::string db = path("shared.db");
    ModelLibrary writer(db);
    ModelLibrary reader(db);
    const int64_t id = writer.addModel(sampleModel("/m/shared", "shared"));
    const auto seen = reader.findModelByPath("/m/shared");
    QVERIFY(seen);
    QCOMPARE(seen->id, id);
}

void TestModelLibrary::modelRoundTripAndUpsert() {
    ModelLibrary library(path("models.db"));
    const ModelRecord in = sampleModel("/models/tiny", "tiny");
    const int64_t id = library.addModel(in);
    QVERIFY(id > 0);

    const auto out = library.findModelByPath("/models/tiny");
    QVERIFY(out);
    QCOMPARE(out->id, id);
    QCOMPARE(out->name, in.name);
    QCOMPARE(out->path, in.path);
    QCOMPARE(out->format, in.format);
    QCOMPARE(out->architecture, in.architecture);
    QCOMPARE(out->dim, in.dim);
    QCOMPARE(out->layers, in.layers);
    QCOMPARE(out->heads, in.heads);
    QCOMPARE(out->kvHeads, in.kvHeads);
    QCOMPARE(out->hiddenDim, in.hiddenDim);
    QCOMPARE(out->vocab, in.vocab);
    QCOMPARE(out->context, in.context);
    QCOMPARE(out->parameters, in.parameters);
    QCOMPARE(out->dtype, in.dtype);
    QCOMPARE(out->bytesOnDisk, in.bytesOnDisk);
    QCOMPARE(out->tokenizer, in.tokenizer);
    QCOMPARE(out->createdAt, in.createdAt);
    QCOMPARE(library.findModel(id)->path, in.path);

    // Same path again: same id, refreshed fields, original creation time.
    ModelRecord changed = in;
    changed.name = "tiny (renamed)";
    changed.bytesOnDisk = 1234;
    changed.createdAt = 0;
    QCOMPARE(library.addModel(changed), id);
    QCOMPARE(library.findModel(id)->name, changed.name);
    QCOMPARE(library.findModel(id)->bytesOnDisk, int64_t(1234));
    QCOMPARE(library.findModel(id)->createdAt, in.createdAt);

    // A new model with createdAt 0 gets the current time; listing is by name.
    ModelRecord other = sampleModel("/models/alpha", "alpha");
    other.createdAt = 0;
    const int64_t otherId = library.addModel(other);
    QVERIFY(otherId != id);
    QVERIFY(library.findModel(otherId)->createdAt > 1'700'000'000);
    const auto all = library.listModels();
    QCOMPARE(all.size(), size_t(2));
    QCOMPARE(all[0].name, std::string("alpha"));
    QCOMPARE(all[1].id, id);

    QVERIFY(!library.findModelByPath("/nowhere"));
    QVERIFY(!library.findModel(9999));
    QVERIFY(!library.deleteModel(9999));
    QVERIFY_THROWS_EXCEPTION(EngineError, library.addModel(ModelRecord{}));  // no path
}

void TestModelLibrary::variantRoundTrip() {
    ModelLibrary library(path("variants.db"));
    const int64_t base = library.addModel(sampleModel("/m/base", "base"));
    const int64_t v2 = library.addModel(sampleModel("/m/base-2bit", "base 2 bit"));
    const int64_t v3 = library.addModel(sampleModel("/m/base-3bit", "base 3 bit"));

    const int64_t id3 = library.addVariant(v3, base, "gptq", "3b g128", R"({"bits":3})", 3.25, 4.1);
    const int64_t id2 = library.addVariant(v2, base, "aqlm", "2x8g8", R"({"scheme":"2x8g8"})", 2.0, 3.0);
    QVERIFY(id2 > 0 && id3 > 0 && id2 != id3);

    const auto variants = library.listVariants(base);
    QCOMPARE(variants.size(), size_t(2));
    QCOMPARE(variants[0].id, id2);  // fewest bits first
    QCOMPARE(variants[0].modelId, v2);
    QCOMPARE(variants[0].baseModelId, base);
    QCOMPARE(variants[0].method, std::string("aqlm"));
    QCOMPARE(variants[0].scheme, std::string("2x8g8"));
    QCOMPARE(variants[0].settingsJson, std::string(R"({"scheme":"2x8g8"})"));
    QCOMPARE(variants[0].avgBits, 2.0);
    QCOMPARE(variants[0].modelBits, 3.0);
    QCOMPARE(variants[1].modelId, v3);
    QCOMPARE(library.findVariantOf(v3)->method, std::string("gptq"));
    QVERIFY(!library.findVariantOf(base));
    QVERIFY(library.listVariants(v2).empty());

    // Re-registering a compressed model updates its one lineage row.
    QCOMPARE(library.addVariant(v2, base, "aqlm", "2x8g8", "{}", 2.05, 3.1), id2);
    QCOMPARE(library.listVariants(base).size(), size_t(2));
    QCOMPARE(library.findVariantOf(v2)->avgBits, 2.05);

    // Foreign keys are enforced; a model is not its own variant.
    QVERIFY_THROWS_EXCEPTION(EngineError, library.addVariant(v2, 4242, "aqlm", "", "{}", 2, 3));
    QVERIFY_THROWS_EXCEPTION(EngineError, library.addVariant(base, base, "aqlm", "", "{}", 2, 3));
}

void TestModelLibrary::runQueueRoundTrip() {
    ModelLibrary library(path("runs.db"));
    const int64_t base = library.addModel(sampleModel("/m/base", "base"));
    const int64_t first = library.createRun(sampleRun(base));
    RunRecord second = sampleRun(base);
    second.method = "gptq";
    const int64_t secondId = library.createRun(second);

    auto queued = library.listRuns(RunStatus::Queued);
    QCOMPARE(queued.size(), size_t(2));
    QCOMPARE(queued[0].id, first);  // queue order
    QCOMPARE(queued[1].id, secondId);
    const RunRecord r = queued[0];
    QCOMPARE(r.baseModelId, base);
    QVERIFY(!r.variantModelId);
    QCOMPARE(r.method, std::string("aqlm"));
    QCOMPARE(r.settingsJson, sampleRun(base).settingsJson);
    QCOMPARE(r.status, RunStatus::Queued);
    QVERIFY(r.createdAt > 0);
    QVERIFY(!r.startedAt && !r.finishedAt);
    QCOMPARE(r.outputPath, std::string("/models/out"));

    library.updateRunStatus(first, RunStatus::Running);
    auto running = library.findRun(first);
    QCOMPARE(running->status, RunStatus::Running);
    QVERIFY(running->startedAt);
    QVERIFY(!running->finishedAt);
    QCOMPARE(library.listRuns(RunStatus::Queued).size(), size_t(1));
    QCOMPARE(library.listRuns(RunStatus::Running).size(), size_t(1));

    const int64_t variant = library.addModel(sampleModel("/m/base-aqlm", "base aqlm"));
    library.setRunResult(first, variant, 12.5, 321.0, "/m/base-aqlm");
    library.updateRunStatus(first, RunStatus::Complete);
    const auto done = library.findRun(first);
    QCOMPARE(done->status, RunStatus::Complete);
    QCOMPARE(done->variantModelId, std::optional<int64_t>(variant));
    QCOMPARE(done->seconds, 12.5);
    QCOMPARE(done->peakMb, 321.0);
    QCOMPARE(done->outputPath, std::string("/m/base-aqlm"));
    QVERIFY(done->finishedAt && *done->finishedAt >= *done->startedAt);

    library.updateRunStatus(secondId, RunStatus::Failed, "out of memory");
    QCOMPARE(library.findRun(secondId)->error, std::string("out of memory"));
    QCOMPARE(library.findRun(secondId)->status, RunStatus::Failed);
    QCOMPARE(library.listRuns().size(), size_t(2));
    QVERIFY(library.listRuns(RunStatus::Cancelled).empty());

    QVERIFY_THROWS_EXCEPTION(EngineError, library.updateRunStatus(777, RunStatus::Running));
    QVERIFY_THROWS_EXCEPTION(EngineError, library.setRunResult(777, std::nullopt, 0, 0, ""));
    QVERIFY(!library.findRun(777));
    for (RunStatus s : {RunStatus::Queued, RunStatus::Running, RunStatus::Cancelled, RunStatus::Failed,
                        RunStatus::Complete})
        QCOMPARE(parseRunStatus(runStatusName(s)), s);
    QVERIFY_THROWS_EXCEPTION(EngineError, parseRunStatus("paused"));
}

void TestModelLibrary::reportsRoundTrip() {
    ModelLibrary library(path("reports.db"));
    const int64_t base = library.addModel(sampleModel("/m/base", "base"));
    const int64_t run = library.createRun(sampleRun(base));
    const char* layers[] = {"self_attn.q_proj", "self_attn.k_proj", "mlp.down_proj"};
    for (int block = 1; block >= 0; --block)  // written out of order, listed by block
        for (int i = 0; i < 3; ++i) {
            LayerReportRecord r;
            r.runId = run;
            r.block = block;
            r.layer = layers[i];
            r.name = "model.layers." + std::to_string(block) + "." + layers[i];
            r.dOut = 256;
            r.dIn = i == 2 ? 768 : 256;
            r.relError = 0.01 * (i + 1) + block;
            r.bits = 2.0 + 0.125 * i;
            r.seconds = 1.5;
            r.epochs = 10 + i;
            library.addLayerReport(r);
            for (int epoch = 0; epoch < 3; ++epoch)
                library.addEpochReport({run, block, layers[i], epoch, 1.0 / (epoch + 1)});
        }
    auto reports = library.listLayerReports(run);
    QCOMPARE(reports.size(), size_t(6));
    QCOMPARE(reports[0].block, int64_t(0));
    QCOMPARE(reports[0].layer, std::string("self_attn.q_proj"));  // insertion order within a block
    QCOMPARE(reports[2].layer, std::string("mlp.down_proj"));
    QCOMPARE(reports[2].name, std::string("model.layers.0.mlp.down_proj"));
    QCOMPARE(reports[2].dIn, int64_t(768));
    QCOMPARE(reports[2].dOut, int64_t(256));
    QCOMPARE(reports[2].relError, 0.03);
    QCOMPARE(reports[2].bits, 2.25);
    QCOMPARE(reports[2].seconds, 1.5);
    QCOMPARE(reports[2].epochs, int64_t(12));
    QCOMPARE(reports[3].block, int64_t(1));

    // A resumed run that redoes a layer replaces its report rather than adding one.
    LayerReportRecord redo = reports[0];
    redo.relError = 0.5;
    library.addLayerReport(redo);
    reports = library.listLayerReports(run);
    QCOMPARE(reports.size(), size_t(6));
    QCOMPARE(reports[0].relError, 0.5);

    auto epochs = library.listEpochReports(run);
    QCOMPARE(epochs.size(), size_t(18));
    QCOMPARE(epochs[0].block, int64_t(0));
    QCOMPARE(epochs[0].layer, std::string("mlp.down_proj"));  // by block, layer, epoch
    QCOMPARE(epochs[0].epoch, int64_t(0));
    QCOMPARE(epochs[2].relError, 1.0 / 3);
    library.addEpochReport({run, 0, "mlp.down_proj", 0, 0.25});
    epochs = library.listEpochReports(run);
    QCOMPARE(epochs.size(), size_t(18));
    QCOMPARE(epochs[0].relError, 0.25);

    QVERIFY(library.listLayerReports(run + 1).empty());
    QVERIFY_THROWS_EXCEPTION(EngineError, library.addLayerReport(LayerReportRecord{run + 1, 0, "x"}));
}

void TestModelLibrary::evaluationsRoundTrip() {
    ModelLibrary library(path("evals.db"));
    const int64_t model = library.addModel(sampleModel("/m/base", "base"));
    const std::string wiki = sha256Hex("wiki"), c4 = sha256Hex("c4");
    EvaluationRecord e;
    e.modelId = model;
    e.datasetPath = "/data/wiki.txt";
    e.datasetSha256 = wiki;
    e.seqLen = 256;
    e.windows = 40;
    e.predictions = 10200;
    e.perplexity = 12.5;
    e.stdError = 0.2;
    e.meanNll = 2.5257;
    e.createdAt = 1'700'000'100;
    const int64_t first = library.addEvaluation(e);
    e.perplexity = 11.75;
    e.createdAt = 1'700'000'200;
    const int64_t better = library.addEvaluation(e);
    e.datasetPath = "/data/c4.txt";
    e.datasetSha256 = c4;
    e.perplexity = 9.0;
    e.createdAt = 1'700'000'300;
    const int64_t other = library.addEvaluation(e);

    const auto all = library.listEvaluations(model);
    QCOMPARE(all.size(), size_t(3));
    QCOMPARE(all[0].id, first);
    QCOMPARE(all[0].modelId, model);
    QCOMPARE(all[0].datasetPath, std::string("/data/wiki.txt"));
    QCOMPARE(all[0].datasetSha256, wiki);
    QCOMPARE(all[0].seqLen, int64_t(256));
    QCOMPARE(all[0].windows, int64_t(40));
    QCOMPARE(all[0].predictions, int64_t(10200));
    QCOMPARE(all[0].perplexity, 12.5);
    QCOMPARE(all[0].stdError, 0.2);
    QCOMPARE(all[0].meanNll, 2.5257);
    QCOMPARE(all[0].createdAt, int64_t(1'700'000'100));

    QCOMPARE(library.bestPerplexity(model)->id, other);
    QCOMPARE(library.bestPerplexity(model, wiki)->id, better);
    QCOMPARE(library.bestPerplexity(model, wiki)->perplexity, 11.75);
    QVERIFY(!library.bestPerplexity(model, sha256Hex("nothing")));
    const int64_t empty = library.addModel(sampleModel("/m/empty", "empty"));
    QVERIFY(!library.bestPerplexity(empty));
    QVERIFY(library.listEvaluations(empty).empty());
}

void TestModelLibrary::deletingBaseCascades() {
    const std::string db = path("cascade.db");
    ModelLibrary library(db);
    const int64_t base = library.addModel(sampleModel("/m/base", "base"));
    const int64_t variant = library.addModel(sampleModel("/m/variant", "variant"));
    const int64_t keep = library.addModel(sampleModel("/m/keep", "keep"));
    library.addVariant(variant, base, "aqlm", "1x16g8", "{}", 2, 3);
    const int64_t run = library.createRun(sampleRun(base));
    library.addLayerReport({run, 0, "mlp.up_proj", "model.layers.0.mlp.up_proj", 768, 256, 0.1, 2, 1, 5});
    library.addEpochReport({run, 0, "mlp.up_proj", 0, 0.2});
    library.addEvaluation({0, base, "/d.txt", "", 256, 1, 255, 20.0, 1.0, 3.0, 0});
    library.addEvaluation({0, keep, "/d.txt", "", 256, 1, 255, 21.0, 1.0, 3.0, 0});
    {
        RawDb raw(db);
        raw.exec("INSERT INTO chats (model_id, title, created_at, updated_at) VALUES (1, 'hi', 0, 0);"
                 "INSERT INTO messages (chat_id, role, content, created_at) VALUES (1, 'user', 'hello', 0);");
    }

    QVERIFY(library.deleteModel(base));
    QVERIFY(!library.findModel(base));
    QVERIFY(library.findModel(variant));  // the compressed model itself stays, only its lineage goes
    QVERIFY(!library.findVariantOf(variant));
    QVERIFY(!library.findRun(run));
    QVERIFY(library.listLayerReports(run).empty());
    QVERIFY(library.listEpochReports(run).empty());
    QVERIFY(library.listEvaluations(base).empty());
    QCOMPARE(library.listEvaluations(keep).size(), size_t(1));
    RawDb raw(db);
    QCOMPARE(raw.text("SELECT COUNT(*) FROM chats"), std::string("0"));
    QCOMPARE(raw.text("SELECT COUNT(*) FROM messages"), std::string("0"));
    QCOMPARE(raw.text("SELECT COUNT(*) FROM layer_reports"), std::string("0"));
    QCOMPARE(library.integrityCheck(), std::string("ok"));
}

void TestModelLibrary::deletingVariantKeepsRunHistory() {
    ModelLibrary library(path("variant-delete.db"));
    const int64_t base = library.addModel(sampleModel("/m/base", "base"));
    const int64_t variant = library.addModel(sampleModel("/m/variant", "variant"));
    library.addVariant(variant, base, "aqlm", "1x16g8", "{}", 2, 3);
    const int64_t run = library.createRun(sampleRun(base));
    library.setRunResult(run, variant, 1, 1, "/m/variant");
    library.addLayerReport({run, 0, "mlp.up_proj", "n", 768, 256, 0.1, 2, 1, 5});

    QVERIFY(library.deleteModel(variant));
    QVERIFY(library.listVariants(base).empty());
    const auto kept = library.findRun(run);
    QVERIFY(kept);
    QVERIFY(!kept->variantModelId);  // ON DELETE SET NULL
    QCOMPARE(library.listLayerReports(run).size(), size_t(1));
}

void TestModelLibrary::failedTransactionRollsBack() {
    const std::string db = path("rollback.db");
    { ModelLibrary library(db); }
    RawDb raw(db);
    try {
        SqlTransaction tx(raw.db, db);
        SqlStatement insert(raw.db, db, "INSERT INTO models (name, path, created_at) VALUES (?1, ?2, 0)");
        insert.bindText(1, "half").bindText(2, "/m/half").run();
        throw std::runtime_error("interrupted before commit");
    } catch (const std::runtime_error&) {
    }
    QCOMPARE(raw.text("SELECT COUNT(*) FROM models"), std::string("0"));

    // And a constraint failure inside ModelLibrary leaves nothing behind either.
    ModelLibrary library(db);
    const int64_t base = library.addModel(sampleModel("/m/base", "base"));
    QVERIFY_THROWS_EXCEPTION(EngineError, library.addVariant(base, 999, "aqlm", "", "{}", 2, 3));
    QCOMPARE(raw.text("SELECT COUNT(*) FROM variants"), std::string("0"));
    QCOMPARE(library.addModel(sampleModel("/m/after", "after")) > base, true);  // no transaction left open
}

void TestModelLibrary::survivesSigkillMidWrite() {
    const std::string db = path("crash.db");
    const std::string countPath = path("committed.txt");
    { ModelLibrary library(db); }  // migrated up front, closed before fork: the child opens its own

    const pid_t pid = ::fork();
    QVERIFY(pid >= 0);
    if (pid == 0) runChildWriter(db, countPath);

    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    // A slow start (sanitizers) must not turn the test into a no-op: wait for the first commit.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (readCount(countPath) < 1 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    QCOMPARE(::kill(pid, SIGKILL), 0);
    int status = 0;
    QCOMPARE(::waitpid(pid, &status, 0), pid);
    QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
             qPrintable(QString("child ended on its own, exit code %1").arg(WEXITSTATUS(status))));

    const long long committed = readCount(countPath);
    QVERIFY(committed >= 1);
    qInfo("child committed %lld transactions before SIGKILL", committed);

    ModelLibrary library(db);  // recovers from the hot WAL
    QCOMPARE(library.integrityCheck(), std::string("ok"));
    for (long long i = 0; i < committed; ++i)
        QVERIFY2(library.findModelByPath("/child/" + std::to_string(i)),
                 qPrintable(QString("committed row %1 missing").arg(i)));
    // At most one commit can have landed after the last count was written.
    const auto models = library.listModels();
    QVERIFY(models.size() == size_t(committed) || models.size() == size_t(committed + 1));
    // The library stays writable after the crash.
    QVERIFY(library.addModel(sampleModel("/m/after-crash", "after")) > 0);
}

void TestModelLibrary::twoProcessesWriteAtOnce() {
    // Two app instances on one library: WAL lets both read, busy_timeout queues their writes; both
    // finish every write and the file stays sound.
    const std::string db = path("shared.db");
    { ModelLibrary library(db); }
    constexpr int kPerProcess = 150;
    pid_t pids[2];
    const char* names[2] = {"first", "second"};
    for (int i = 0; i < 2; ++i) {
        pids[i] = ::fork();
        QVERIFY(pids[i] >= 0);
        if (pids[i] == 0) runConcurrentWriter(db, names[i], kPerProcess);
    }
    for (int i = 0; i < 2; ++i) {
        int status = 0;
        QCOMPARE(::waitpid(pids[i], &status, 0), pids[i]);
        QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                 qPrintable(QString("%1 instance failed (status %2)").arg(names[i]).arg(status)));
    }
    ModelLibrary library(db);
    QCOMPARE(library.integrityCheck(), std::string("ok"));
    QCOMPARE(library.listModels().size(), size_t(2 * kPerProcess));
    for (const char* who : names)
        for (int i = 0; i < kPerProcess; ++i)
            QVERIFY(library.findModelByPath(std::string("/") + who + "/" + std::to_string(i)));
}

QTEST_GUILESS_MAIN(TestModelLibrary)
#include "tst_model_library.moc"
