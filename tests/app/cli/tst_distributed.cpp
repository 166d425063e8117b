// `aqlm quantize` and `aqlm finetune` split across local processes with c10d (Gloo over 127.0.0.1):
// the same model as one process, bit for bit (block fine-tuning and PV-Tuning data-parallel); a rank
// that dies stops the others with a clear error, and the run resumes.
#include "shared_paths.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <vector>

using namespace aqlm::test;

namespace {

QString shared(const char* relative) { return QString::fromStdString(sharedPath(relative)); }
QString aqlmBin() { return qEnvironmentVariable("AQLM_BIN", "build/bin") + "/aqlm"; }

// A port nobody listens on right now (the kernel's pick; closed again before use).
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

// A small AQLM run of stories260K: 20 windows in 3 calibration batches (8 + 8 + 4), one
// fine-tuning epoch per block.
QStringList quantizeArgs(const QString& out) {
    return {"quantize", shared("models/stories260K/stories260K.bin"), "--out", out, "--scheme", "2x6g4",
            "--calib", shared("data/tinystories/tinystories_train_head_2MiB.txt"), "--nsamples", "20",
            "--seq-len", "64", "--max-epochs", "2", "--steps-per-epoch", "5", "--finetune-epochs", "1",
            "--threads", "1", "--seed", "7", "--quiet", "--json"};
}

// The same on reference-7M (HF folder, fp16, 8 blocks of dim 256 / hidden 768), kept small enough for
// about a minute per run at one thread per rank.
QStringList reference7mArgs(const QString& out) {
    return {"quantize", shared("models/reference-7M/hf"), "--out", out, "--scheme", "1x8g8",
            "--calib", shared("data/tinystories/tinystories_train_head_2MiB.txt"), "--nsamples", "12",
            "--seq-len", "64", "--max-epochs", "1", "--steps-per-epoch", "3", "--solver-iterations", "4",
            "--finetune-epochs", "1", "--threads", "1", "--seed", "11", "--quiet", "--json"};
}

// PV-Tuning of a compressed stories260K against the original: 10 windows per step in passes of
// 4 + 4 + 2 (three passes, uneven over two ranks), 6 held-out windows in two batches.
QStringList finetuneArgs(const QString& student, const QString& out) {
    return {"finetune", student, "--teacher", shared("models/stories260K/stories260K.bin"), "--out", out,
            "--data", shared("data/tinystories/tinystories_train_head_2MiB.txt"), "--mode", "pv", "--steps", "4",
            "--tokens-per-step", "640", "--seq-len", "64", "--eval-every", "2", "--eval-windows", "6",
            "--tau", "0.05", "--threads", "1", "--seed", "5", "--quiet", "--json"};
}

QStringList rankArgs(const QStringList& args, int port, int worldSize, int rank) {
    return args + QStringList{"--dist-store", "127.0.0.1:" + QString::number(port), "--world-size",
                              QString::number(worldSize), "--rank", QString::number(rank), "--dist-timeout", "120"};
}

std::vector<std::unique_ptr<QProcess>> startRanks(const QStringList& args, int worldSize) {
    const int port = freePort();
    std::vector<std::unique_ptr<QProcess>> ranks;
    for (int r = 0; r < worldSize; ++r) {
        ranks.push_back(std::make_unique<QProcess>());
        ranks.back()->start(aqlmBin(), rankArgs(args, port, worldSize, r));
    }
    return ranks;
}

struct Finished {
    int exitCode = -1;
    QString err;
};

Finished finish(QProcess& p, int ms = 300000) {
    if (!p.waitForFinished(ms)) p.kill(), p.waitForFinished();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardError())};
}

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

nlohmann::json configOf(const QString& folder) {
    return nlohmann::json::parse(fileBytes(folder + "/config.json").toStdString());
}

// The model files of two folders are the same bytes, and their settings differ only in world_size.
void compareFolders(const QString& single, const QString& distributed, int worldSize) {
    const QByteArray weights = fileBytes(single + "/model.safetensors");
    QVERIFY(!weights.isEmpty());
    QVERIFY2(weights == fileBytes(distributed + "/model.safetensors"), "the weights differ from the one-process run");
    nlohmann::json a = configOf(single), b = configOf(distributed);
    QCOMPARE(a["aqlm_studio"]["world_size"].get<int>(), 1);
    QCOMPARE(b["aqlm_studio"]["world_size"].get<int>(), worldSize);
    a["aqlm_studio"].erase("world_size");
    b["aqlm_studio"].erase("world_size");
    QVERIFY(a == b);
}

nlohmann::json lastJsonLine(QProcess& p) {
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).trimmed().split('\n');
    return nlohmann::json::parse(lines.last().toStdString());
}

// The lines of a rank's stderr that contain `marker`, without their "[   1.2s]" time stamps.
QStringList linesWith(const QString& err, const QString& marker) {
    QStringList out;
    for (const QString& line : err.split('\n'))
        if (line.contains(marker)) out << line.mid(line.indexOf(']') + 1);
    return out;
}

// Both folders hold the same fine-tuned model: same weights, same config.json.
void compareFinetuned(const QString& single, const QString& distributed) {
    const QByteArray weights = fileBytes(single + "/model.safetensors");
    QVERIFY(!weights.isEmpty());
    QVERIFY2(weights == fileBytes(distributed + "/model.safetensors"), "the weights differ from the one-process run");
    QVERIFY(configOf(single) == configOf(distributed));
    QVERIFY(!QFileInfo::exists(distributed + "/.aqlm-finetune"));
}

}  // namespace

class TestDistributed : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_single;  // the one-process reference output

    void makeSingleReference() {
        if (!m_single.isEmpty()) return;
        QProcess p;
        p.start(aqlmBin(), quantizeArgs(m_dir.filePath("single")));
        const Finished f = finish(p);
        QVERIFY2(f.exitCode == 0, qPrintable(f.err));
        m_single = m_dir.filePath("single");
    }

private Q_SLOTS:
    void twoRanksMatchOneProcess() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        makeSingleReference();
        const QString out = m_dir.filePath("two");
        auto ranks = startRanks(quantizeArgs(out), 2);
        const Finished rank0 = finish(*ranks[0]), rank1 = finish(*ranks[1]);
        QVERIFY2(rank0.exitCode == 0, qPrintable(rank0.err));
        QVERIFY2(rank1.exitCode == 0, qPrintable(rank1.err));
        compareFolders(m_single, out, 2);
        // Block fine-tuning is data-parallel: both ranks report the same losses, epoch by epoch.
        const QStringList epochs0 = linesWith(rank0.err, "fine-tune epoch"), epochs1 = linesWith(rank1.err, "fine-tune epoch");
        QVERIFY(!epochs0.isEmpty());
        QCOMPARE(epochs1, epochs0);
        QVERIFY(!QFileInfo::exists(out + "/.aqlm-run/scratch-rank-1"));
    }

    // reference-7M (an HF fp16 folder) on two ranks: bit-identical to one process too.
    void referenceModelOnTwoRanksMatchesOneProcess() {
        AQLM_REQUIRE_SHARED("models/reference-7M/hf/model.safetensors");
        QElapsedTimer timer;
        timer.start();
        QProcess single;
        single.start(aqlmBin(), reference7mArgs(m_dir.filePath("ref-single")));
        const Finished f = finish(single);
        QVERIFY2(f.exitCode == 0, qPrintable(f.err));
        const qint64 singleMs = timer.restart();
        auto ranks = startRanks(reference7mArgs(m_dir.filePath("ref-two")), 2);
        const Finished rank0 = finish(*ranks[0]), rank1 = finish(*ranks[1]);
        QVERIFY2(rank0.exitCode == 0, qPrintable(rank0.err));
        QVERIFY2(rank1.exitCode == 0, qPrintable(rank1.err));
        const qint64 layersMs = timer.restart();
        compareFolders(m_dir.filePath("ref-single"), m_dir.filePath("ref-two"), 2);
        // Every layer's rows split between the two ranks (4 shards of 64 rows for dim 256, 12 for 768).
        auto rowRanks = startRanks(reference7mArgs(m_dir.filePath("ref-rows")) << "--layer-split" << "rows", 2);
        const Finished rows0 = finish(*rowRanks[0]), rows1 = finish(*rowRanks[1]);
        QVERIFY2(rows0.exitCode == 0, qPrintable(rows0.err));
        QVERIFY2(rows1.exitCode == 0, qPrintable(rows1.err));
        qInfo("reference-7M: one process %.1f s, two ranks %.1f s (whole layers), %.1f s (rows split)", singleMs / 1000.0,
              layersMs / 1000.0, timer.elapsed() / 1000.0);
        compareFolders(m_dir.filePath("ref-single"), m_dir.filePath("ref-rows"), 2);
    }

    // stories260K with every layer's rows split: its 64-wide layers are one shard (rank 1 owns no row
    // of them and takes part in the sums only), the 172-wide ones two. Bit-identical to one process,
    // and both ranks report every layer with the same error.
    void twoRanksSplittingRowsMatchOneProcess() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        makeSingleReference();
        const QString out = m_dir.filePath("rows");
        auto ranks = startRanks(quantizeArgs(out) << "--layer-split" << "rows", 2);
        const Finished rank0 = finish(*ranks[0]), rank1 = finish(*ranks[1]);
        QVERIFY2(rank0.exitCode == 0, qPrintable(rank0.err));
        QVERIFY2(rank1.exitCode == 0, qPrintable(rank1.err));
        compareFolders(m_single, out, 2);
        auto layerErrors = [](const QString& err) {
            QStringList out;
            for (const QString& line : linesWith(err, "rel.error"))
                if (line.contains(" layer ")) out << line.section("rel.error", 1).section("bits", 0, 0);
            return out;
        };
        QCOMPARE(layerErrors(rank0.err).size(), 5 * 7);
        QCOMPARE(layerErrors(rank1.err), layerErrors(rank0.err));
    }

    // Ranks that disagree on how to split the layers are stopped before any work.
    void ranksMustAgreeOnTheLayerSplit() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        const int port = freePort();
        const QString out = m_dir.filePath("disagree");
        QProcess rank0, rank1;
        rank0.start(aqlmBin(), rankArgs(quantizeArgs(out) << "--layer-split" << "rows", port, 2, 0));
        rank1.start(aqlmBin(), rankArgs(quantizeArgs(out) << "--layer-split" << "layers", port, 2, 1));
        const Finished f0 = finish(rank0, 120000), f1 = finish(rank1, 120000);
        QVERIFY(f0.exitCode != 0 && f1.exitCode != 0);
        QVERIFY2(f1.err.contains("differ from rank 0"), qPrintable(f1.err));
        QVERIFY(!QFileInfo::exists(out + "/model.safetensors"));
    }

    // aqlm finetune (PV-Tuning) on two ranks: the same model as one process, codes included.
    void finetuneOnTwoRanksMatchesOneProcess() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        makeSingleReference();
        QProcess single;
        single.start(aqlmBin(), finetuneArgs(m_single, m_dir.filePath("pv-single")));
        const Finished f = finish(single);
        QVERIFY2(f.exitCode == 0, qPrintable(f.err));
        const nlohmann::json singleSummary = lastJsonLine(single);
        auto ranks = startRanks(finetuneArgs(m_single, m_dir.filePath("pv-two")), 2);
        const Finished rank0 = finish(*ranks[0]), rank1 = finish(*ranks[1]);
        QVERIFY2(rank0.exitCode == 0, qPrintable(rank0.err));
        QVERIFY2(rank1.exitCode == 0, qPrintable(rank1.err));
        compareFinetuned(m_dir.filePath("pv-single"), m_dir.filePath("pv-two"));
        const nlohmann::json summary0 = lastJsonLine(*ranks[0]), summary1 = lastJsonLine(*ranks[1]);
        for (const char* key : {"codes_changed_per_step", "evaluations", "best_ppl", "final_kl", "bytes"}) {
            QVERIFY2(summary0[key] == singleSummary[key], key);
            QVERIFY2(summary1[key] == singleSummary[key], key);
        }
        int64_t changed = 0;
        for (const auto& c : singleSummary["codes_changed_per_step"]) changed += c.get<int64_t>();
        QVERIFY(changed > 0);  // PV-Tuning moved codes, identically on both ranks
        QCOMPARE(summary0["world_size"].get<int>(), 2);
    }

    // Rank 0 dies while writing the step-4 checkpoint; two ranks resume from step 2 (rank 1 receives
    // the checkpoint from rank 0) and end with the uninterrupted one-process model.
    void aDistributedFinetuneResumes() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        makeSingleReference();
        if (!QFileInfo::exists(m_dir.filePath("pv-single") + "/model.safetensors")) {
            QProcess single;
            single.start(aqlmBin(), finetuneArgs(m_single, m_dir.filePath("pv-single")));
            QVERIFY(finish(single).exitCode == 0);
        }
        const QString out = m_dir.filePath("pv-killed");
        const int port = freePort();
        QProcess rank0, rank1;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("AQLM_FAILPOINT_KILL_AT_COMMIT", "3");  // step 2: tensors, state.json; step 4: tensors
        rank0.setProcessEnvironment(env);
        rank0.start(aqlmBin(), rankArgs(finetuneArgs(m_single, out), port, 2, 0));
        rank1.start(aqlmBin(), rankArgs(finetuneArgs(m_single, out), port, 2, 1));
        const Finished killed = finish(rank0, 120000), survivor = finish(rank1, 120000);
        QCOMPARE(killed.exitCode, -1);
        QVERIFY2(survivor.exitCode != 0 && survivor.exitCode != -1, qPrintable(survivor.err));
        QVERIFY2(survivor.err.contains("another rank stopped"), qPrintable(survivor.err));
        QVERIFY(QFileInfo::exists(out + "/.aqlm-finetune/state.json"));

        auto resumed = startRanks(finetuneArgs(m_single, out) << "--resume", 2);
        const Finished again0 = finish(*resumed[0]), again1 = finish(*resumed[1]);
        QVERIFY2(again0.exitCode == 0, qPrintable(again0.err));
        QVERIFY2(again1.exitCode == 0, qPrintable(again1.err));
        QVERIFY2(again1.err.contains("resumed at step 2"), qPrintable(again1.err));
        QCOMPARE(lastJsonLine(*resumed[1])["resumed_from_step"].get<int>(), 2);
        compareFinetuned(m_dir.filePath("pv-single"), out);
    }

    // Rank 1 is killed after block 2; rank 0 stops with the error, and the run resumes on two ranks.
    void aDeadRankStopsTheOthersAndTheRunResumes() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        makeSingleReference();
        const QString out = m_dir.filePath("killed");
        // Rank 0 (the writer, and the store's host) SIGKILLs itself at its 5th atomic commit: the run
        // state after block 1, written but not yet in place (io/atomic_file's crash-test hook). A kill
        // at a named point, not after a progress line: on a fast machine the run outran such a kill.
        const int port = freePort();
        QProcess rank0, rank1;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("AQLM_FAILPOINT_KILL_AT_COMMIT", "5");
        rank0.setProcessEnvironment(env);
        rank0.start(aqlmBin(), rankArgs(quantizeArgs(out), port, 2, 0));
        rank1.start(aqlmBin(), rankArgs(quantizeArgs(out), port, 2, 1));
        const Finished killed = finish(rank0, 120000), survivor = finish(rank1, 120000);
        QCOMPARE(killed.exitCode, -1);  // SIGKILL: no goodbye, only closed sockets
        QVERIFY2(survivor.exitCode != 0 && survivor.exitCode != -1, qPrintable(survivor.err));
        QVERIFY2(survivor.err.contains("another rank stopped"), qPrintable(survivor.err));
        QVERIFY(QFileInfo::exists(out + "/.aqlm-run/run.json"));
        QVERIFY(!QFileInfo::exists(out + "/config.json"));

        auto resumed = startRanks(quantizeArgs(out) << "--resume", 2);
        const Finished again0 = finish(*resumed[0]), again1 = finish(*resumed[1]);
        QVERIFY2(again0.exitCode == 0, qPrintable(again0.err));
        QVERIFY2(again1.exitCode == 0, qPrintable(again1.err));
        const auto summary = nlohmann::json::parse(QString::fromUtf8(resumed[1]->readAllStandardOutput()).trimmed().split('\n').last().toStdString());
        QVERIFY(summary["resumed_blocks"].get<int>() >= 1);
        compareFolders(m_single, out, 2);
    }

    void ranksWithDifferentSettingsStopBeforeWork() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        const QString out = m_dir.filePath("mismatch");
        const int port = freePort();
        QStringList other = quantizeArgs(out);
        other[other.indexOf("--nsamples") + 1] = "16";
        QProcess rank0, rank1;
        rank0.start(aqlmBin(), rankArgs(quantizeArgs(out), port, 2, 0));
        rank1.start(aqlmBin(), rankArgs(other, port, 2, 1));
        const Finished f0 = finish(rank0, 120000), f1 = finish(rank1, 120000);
        QVERIFY2(f1.exitCode != 0 && f1.exitCode != -1, qPrintable(f1.err));
        QVERIFY2(f1.err.contains("settings differ from rank 0"), qPrintable(f1.err));
        QVERIFY2(f0.exitCode != 0 && f0.exitCode != -1, qPrintable(f0.err));
        QVERIFY(!QFileInfo::exists(out + "/config.json"));
    }

    // The same check for aqlm finetune: a rank with other settings stops before any work, and so
    // does rank 0 (it never claims the output folder).
    void finetuneRanksWithDifferentSettingsStopBeforeWork() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        makeSingleReference();
        const QString out = m_dir.filePath("pv-mismatch");
        const int port = freePort();
        QStringList other = finetuneArgs(m_single, out);
        other[other.indexOf("--steps") + 1] = "5";
        QProcess rank0, rank1;
        rank0.start(aqlmBin(), rankArgs(finetuneArgs(m_single, out), port, 2, 0));
        rank1.start(aqlmBin(), rankArgs(other, port, 2, 1));
        const Finished f0 = finish(rank0, 120000), f1 = finish(rank1, 120000);
        QVERIFY2(f1.exitCode != 0 && f1.exitCode != -1, qPrintable(f1.err));
        QVERIFY2(f1.err.contains("settings differ from rank 0"), qPrintable(f1.err));
        QVERIFY2(f0.exitCode != 0 && f0.exitCode != -1, qPrintable(f0.err));
        QVERIFY2(f0.err.contains("1 other rank(s) were started with models or settings that differ"), qPrintable(f0.err));
        QVERIFY(!QFileInfo::exists(out));
    }

    void anUnreachableStoreIsAClearError() {
        QProcess p;
        p.start(aqlmBin(), {"quantize", "any-model", "--out", m_dir.filePath("none"), "--scheme", "2x6g4",
                            "--dist-store", "127.0.0.1:" + QString::number(freePort()), "--world-size", "2",
                            "--rank", "1", "--dist-timeout", "3"});
        const Finished f = finish(p, 60000);
        QVERIFY2(f.exitCode != 0 && f.exitCode != -1, qPrintable(f.err));
        QVERIFY2(f.err.contains("cannot reach the store"), qPrintable(f.err));
    }

    void badDistributedOptionsAreClearErrors() {
        const QStringList base{"quantize", "any-model", "--out", m_dir.filePath("none"), "--scheme", "2x6g4"};
        const struct {
            QStringList extra;
            const char* message;
        } cases[] = {
            {{"--dist-store", "127.0.0.1:1", "--world-size", "2", "--rank", "0", "--backend", "nccl"}, "CUDA"},
            {{"--dist-store", "127.0.0.1:1", "--world-size", "2", "--rank", "2"}, "outside 0 to 1"},
            {{"--dist-store", "nohost", "--world-size", "2", "--rank", "0"}, "not a store address"},
            {{"--dist-store", "127.0.0.1:1", "--world-size", "2"}, "--rank"},
            {{"--world-size", "2", "--rank", "0"}, "--dist-store"},
            {{"--dist-store", "127.0.0.1:1", "--world-size", "2", "--rank", "0", "--pv-steps", "3"}, "aqlm finetune --dist-store"},
        };
        for (const auto& c : cases) {
            QProcess p;
            p.start(aqlmBin(), base + c.extra);
            const Finished f = finish(p, 60000);
            QVERIFY2(f.exitCode != 0 && f.exitCode != -1, qPrintable(c.extra.join(' ')));
            QVERIFY2(f.err.contains(c.message), qPrintable(c.extra.join(' ') + ": " + f.err));
        }
        // aqlm finetune parses the same flags the same way.
        const QStringList finetune{"finetune", "any-model", "--teacher", "any-model", "--out", m_dir.filePath("none"),
                                   "--data", "any.txt"};
        for (const QStringList& extra : {QStringList{"--world-size", "2", "--rank", "0"},
                                         QStringList{"--dist-store", "127.0.0.1:1", "--world-size", "2"}}) {
            QProcess p;
            p.start(aqlmBin(), finetune + extra);
            const Finished f = finish(p, 60000);
            QVERIFY2(f.exitCode != 0 && f.exitCode != -1, qPrintable(extra.join(' ')));
            QVERIFY2(f.err.contains("--dist-store") || f.err.contains("--rank"), qPrintable(extra.join(' ') + ": " + f.err));
        }
        QProcess p;
        p.start(aqlmBin(), finetune + QStringList{"--dist-store", "127.0.0.1:1", "--world-size", "2", "--rank", "2"});
        const Finished f = finish(p, 60000);
        QVERIFY2(f.err.contains("outside 0 to 1"), qPrintable(f.err));
    }
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "tst_distributed.moc"
