// Names a downloaded model folder gives for its own files (index shards, tokenizer) are confined to
// the folder: every form of escape is rejected with the naming file and the entry in the message.
#include "engine/api/engine_error.h"
#include "engine/io/confined_path.h"

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using namespace aqlm;
namespace fs = std::filesystem;

namespace {

const std::string kIndex = "/models/m/model.safetensors.index.json";

// The EngineError message for `name`, or "" when it was accepted.
QString rejection(const std::string& folder, const std::string& name) {
    try {
        fileInsideFolder(folder, name, kIndex, "weight_map entry lm_head.weight");
        return {};
    } catch (const EngineError& e) {
        return QString::fromStdString(e.what());
    }
}

}  // namespace

class TestConfinedPath : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void plainNamesAreAccepted() {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        std::ofstream(folder + "/model-00001-of-00002.safetensors") << "x";
        QCOMPARE(fileInsideFolder(folder, "model-00001-of-00002.safetensors", kIndex, "entry"),
                 (fs::path(folder) / "model-00001-of-00002.safetensors").string());
        // A missing file is the open's problem ("no such file"), not an escape.
        QCOMPARE(fileInsideFolder(folder, "missing.safetensors", kIndex, "entry"),
                 (fs::path(folder) / "missing.safetensors").string());
        // Names that merely contain dots are files.
        QVERIFY(rejection(folder, "..hidden").isEmpty());
        QVERIFY(rejection(folder, "a..b.safetensors").isEmpty());
    }

    void everyEscapeFormIsRejected_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("parent") << "../../x.safetensors";
        QTest::newRow("dotdot alone") << "..";
        QTest::newRow("dot alone") << ".";
        QTest::newRow("empty") << "";
        QTest::newRow("absolute") << "/etc/passwd";
        QTest::newRow("subfolder") << "sub/x.safetensors";
        QTest::newRow("trailing slash") << "x/";
        QTest::newRow("backslash") << "..\\x.safetensors";
        QTest::newRow("parent inside") << "a/../../x";
    }
    void everyEscapeFormIsRejected() {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const QString message = rejection(dir.path().toStdString(), name.toStdString());
        QVERIFY2(message.contains(QString::fromStdString(kIndex)), qPrintable(message));
        QVERIFY2(message.contains("weight_map entry lm_head.weight"), qPrintable(message));
        QVERIFY2(message.contains("not a file in the model folder"), qPrintable(message));
    }

    void nulInsideANameIsRejected() {
        QTemporaryDir dir;
        const QString message = rejection(dir.path().toStdString(), std::string("x\0/../../etc/passwd", 19));
        QVERIFY2(message.contains("not a file in the model folder"), qPrintable(message));
        QVERIFY2(message.contains("x\\x00/../../etc/passwd"), qPrintable(message));  // shown, not cut
    }

    void symlinkOutOfTheFolderIsRejected() {
        QTemporaryDir outside;
        QTemporaryDir dir;
        const std::string secret = outside.path().toStdString() + "/secret.safetensors";
        std::ofstream(secret) << "x";
        fs::create_symlink(secret, dir.path().toStdString() + "/shard.safetensors");
        const QString message = rejection(dir.path().toStdString(), "shard.safetensors");
        QVERIFY2(message.contains("leads outside the model folder"), qPrintable(message));
        QVERIFY2(message.contains(QString::fromStdString(kIndex)), qPrintable(message));

        // Relative links climbing out, and dangling ones, are caught the same way.
        fs::create_symlink("../../../../../../etc/hostname", dir.path().toStdString() + "/up.safetensors");
        QVERIFY(rejection(dir.path().toStdString(), "up.safetensors").contains("leads outside the model folder"));
        fs::create_symlink(outside.path().toStdString() + "/gone", dir.path().toStdString() + "/dangling.safetensors");
        QVERIFY(rejection(dir.path().toStdString(), "dangling.safetensors").contains("leads outside the model folder"));
    }

    void symlinkToTheFolderItselfIsRejected() {
        QTemporaryDir dir;
        fs::create_symlink(".", dir.path().toStdString() + "/self.safetensors");
        QVERIFY(rejection(dir.path().toStdString(), "self.safetensors").contains("leads outside the model folder"));
    }

    void symlinkWithinTheFolderIsAccepted() {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        fs::create_directory(folder + "/blobs");
        std::ofstream(folder + "/blobs/abc") << "x";
        fs::create_symlink("blobs/abc", folder + "/shard.safetensors");
        QVERIFY(rejection(folder, "shard.safetensors").isEmpty());
    }

    void hubCacheSnapshotMayLinkIntoItsBlobs() {
        // ~/.cache/huggingface/hub/models--ORG--NAME/snapshots/REV/x -> ../../blobs/HASH
        QTemporaryDir cache;
        const std::string repo = cache.path().toStdString() + "/models--meta-llama--Llama-2-7b-hf";
        const std::string snapshot = repo + "/snapshots/0123abcd";
        fs::create_directories(snapshot);
        fs::create_directories(repo + "/blobs");
        std::ofstream(repo + "/blobs/deadbeef") << "x";
        fs::create_symlink("../../blobs/deadbeef", snapshot + "/model.safetensors");
        QVERIFY(rejection(snapshot, "model.safetensors").isEmpty());
        // Anything else outside the snapshot stays refused, and the rule needs the hub layout.
        std::ofstream(repo + "/secret") << "x";
        fs::create_symlink("../../secret", snapshot + "/other.safetensors");
        QVERIFY(rejection(snapshot, "other.safetensors").contains("leads outside the model folder"));
        const std::string plain = cache.path().toStdString() + "/plain/snapshots/rev";
        fs::create_directories(plain);
        fs::create_directories(cache.path().toStdString() + "/plain/blobs");
        std::ofstream(cache.path().toStdString() + "/plain/blobs/h") << "x";
        fs::create_symlink("../../blobs/h", plain + "/model.safetensors");
        QVERIFY(rejection(plain, "model.safetensors").contains("leads outside the model folder"));
    }

    void folderReachedThroughASymlinkStillWorks() {
        // The folder itself may be a link (~/models -> /data/models): only the file's target matters.
        QTemporaryDir real;
        QTemporaryDir links;
        std::ofstream(real.path().toStdString() + "/shard.safetensors") << "x";
        const std::string linked = links.path().toStdString() + "/model";
        fs::create_directory_symlink(real.path().toStdString(), linked);
        QVERIFY(rejection(linked, "shard.safetensors").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestConfinedPath)
#include "tst_confined_path.moc"
