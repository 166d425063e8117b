// run.json, what --resume trusts and what marks a folder as still being written: checked field by
// field with the file named, and an unfinished or damaged state never vouches for the folder.
#include "engine/api/engine_error.h"
#include "engine/io/run_state.h"

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using namespace aqlm;
using nlohmann::json;

namespace {

json validState() {
    return json::parse(R"({"status": "running", "options": {"scheme": "2x6g4"}, "completed_blocks": 1,
        "layers": [{"name": "model.layers.0.self_attn.q_proj", "block": 0, "layer": "self_attn.q_proj", "d_out": 64, "d_in": 64,
                    "rel_error": 0.05, "bits": 2.25, "seconds": 0.4, "epochs": 2}]})");
}

std::string writeState(const QTemporaryDir& dir, const std::string& text) {
    std::filesystem::create_directories(dir.path().toStdString() + "/" + kRunFolderName);
    const std::string path = runStatePath(dir.path().toStdString());
    std::ofstream(path, std::ios::trunc) << text;
    return path;
}

}  // namespace

class TestRunState : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validStatesAreRead() {
        QTemporaryDir dir;
        const std::string path = writeState(dir, validState().dump());
        QCOMPARE(readRunState(path)["completed_blocks"].get<int64_t>(), int64_t(1));
        QVERIFY(holdsUnfinishedRun(dir.path().toStdString()));
        json complete = validState();
        complete["status"] = "complete";
        writeState(dir, complete.dump());
        QVERIFY(!holdsUnfinishedRun(dir.path().toStdString()));
    }

    void folderWithoutARunIsNotUnfinished() {
        QTemporaryDir dir;
        QVERIFY(!holdsUnfinishedRun(dir.path().toStdString()));
    }

    void damagedStatesAreRejectedNamingTheFile_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("words");
        auto with = [](const char* key, const json& value) {
            json s = validState();
            s[key] = value;
            return QString::fromStdString(s.dump());
        };
        auto layerWith = [](const char* key, const json& value) {
            json s = validState();
            s["layers"][0][key] = value;
            return QString::fromStdString(s.dump());
        };
        QTest::newRow("not json") << "{\"status\": " << "invalid JSON";
        QTest::newRow("array") << "[1, 2]" << "not a JSON object";
        QTest::newRow("status number") << with("status", 3) << "\"status\"";
        QTest::newRow("status unknown") << with("status", "paused") << "unknown run status";
        QTest::newRow("options missing") << with("options", nullptr) << "\"options\"";
        QTest::newRow("blocks float") << with("completed_blocks", 1.5) << "\"completed_blocks\"";
        QTest::newRow("blocks negative") << with("completed_blocks", -1) << "negative";
        QTest::newRow("layers object") << with("layers", json::object()) << "\"layers\"";
        QTest::newRow("layer name number") << layerWith("name", 5) << "layer report 0";
        QTest::newRow("layer error text") << layerWith("rel_error", "small") << "\"rel_error\"";
        QTest::newRow("layer block missing") << layerWith("block", nullptr) << "\"block\"";
        QTest::newRow("layer kind number") << layerWith("layer", 3) << "\"layer\"";
    }
    void damagedStatesAreRejectedNamingTheFile() {
        QFETCH(QString, text);
        QFETCH(QString, words);
        QTemporaryDir dir;
        const std::string path = writeState(dir, text.toStdString());
        try {
            readRunState(path);
            QFAIL("a damaged run state was accepted");
        } catch (const EngineError& e) {
            const QString message = QString::fromStdString(e.what());
            QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
            QVERIFY2(message.contains(words), qPrintable(message));
        }
        QVERIFY(holdsUnfinishedRun(dir.path().toStdString()));  // damaged: never a finished model
    }
};

QTEST_GUILESS_MAIN(TestRunState)
#include "tst_run_state.moc"
