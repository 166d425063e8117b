// Fine-tuning and block reports in the model library: round trip (a block without a perplexity
// stores NULL), rewriting a block replaces its rows, deleting the base model removes them, and a
// library of schema 2 is migrated to 3 keeping its data.
#include "engine/library/model_library.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "raw_sqlite.h"

#include <sqlite3.h>

#include <memory>

using namespace aqlm;

namespace {


int64_t addRun(ModelLibrary& lib, const std::string& modelPath) {
    ModelRecord m;
    m.name = modelPath;
    m.path = modelPath;
    RunRecord run;
    run.baseModelId = lib.addModel(m);
    run.method = "aqlm";
    return lib.createRun(run);
}

}  // namespace

class TestLibraryReports : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }
    void cleanup() { m_dir.reset(); }

    void roundTrip() {
        ModelLibrary lib(path("library.db"));
        const int64_t run = addRun(lib, "/m/base");
        const int64_t other = addRun(lib, "/m/other");
        // Written out of order: listing sorts by block, then epoch.
        lib.addFinetuneReport({run, 1, 0, 2.5, 2.75});
        lib.addFinetuneReport({run, 0, 1, 1.25, 1.5});
        lib.addFinetuneReport({run, 0, 0, 1.75, 2.0});
        lib.addFinetuneReport({other, 0, 0, 9.0, 9.0});
        const auto ft = lib.listFinetuneReports(run);
        QCOMPARE(ft.size(), size_t(3));
        QCOMPARE(ft[0].block, int64_t(0));
        QCOMPARE(ft[0].epoch, int64_t(0));
        QCOMPARE(ft[0].trainLoss, 1.75);
        QCOMPARE(ft[0].validationLoss, 2.0);
        QCOMPARE(ft[1].epoch, int64_t(1));
        QCOMPARE(ft[1].trainLoss, 1.25);
        QCOMPARE(ft[2].block, int64_t(1));
        QCOMPARE(ft[2].validationLoss, 2.75);
        for (const FinetuneReportRecord& r : ft) QCOMPARE(r.runId, run);

        lib.addBlockReport({run, 1, 3.5, std::nullopt});
        lib.addBlockReport({run, 0, 2.25, 17.125});
        const auto blocks = lib.listBlockReports(run);
        QCOMPARE(blocks.size(), size_t(2));
        QCOMPARE(blocks[0].block, int64_t(0));
        QCOMPARE(blocks[0].seconds, 2.25);
        QVERIFY(blocks[0].perplexity.has_value());
        QCOMPARE(*blocks[0].perplexity, 17.125);
        QCOMPARE(blocks[1].seconds, 3.5);
        QVERIFY(!blocks[1].perplexity.has_value());
        RawDb raw(path("library.db"));
        QCOMPARE(raw.text("SELECT COUNT(*) FROM block_reports WHERE perplexity IS NULL"), std::string("1"));
        QVERIFY(lib.listBlockReports(other).empty());
        QCOMPARE(lib.listFinetuneReports(other).size(), size_t(1));
    }

    void rewritingABlockReplacesItsRows() {
        // A resumed run redoes a block: the new numbers replace the old ones, nothing is duplicated.
        ModelLibrary lib(path("library.db"));
        const int64_t run = addRun(lib, "/m/base");
        lib.addFinetuneReport({run, 0, 0, 3.0, 3.5});
        lib.addFinetuneReport({run, 0, 1, 2.0, 2.5});
        lib.addBlockReport({run, 0, 10.0, 50.0});
        lib.addFinetuneReport({run, 0, 0, 1.0, 1.5});
        lib.addFinetuneReport({run, 0, 1, 0.5, 0.75});
        lib.addBlockReport({run, 0, 4.0, std::nullopt});
        const auto ft = lib.listFinetuneReports(run);
        QCOMPARE(ft.size(), size_t(2));
        QCOMPARE(ft[0].trainLoss, 1.0);
        QCOMPARE(ft[0].validationLoss, 1.5);
        QCOMPARE(ft[1].trainLoss, 0.5);
        QCOMPARE(ft[1].validationLoss, 0.75);
        const auto blocks = lib.listBlockReports(run);
        QCOMPARE(blocks.size(), size_t(1));
        QCOMPARE(blocks[0].seconds, 4.0);
        QVERIFY(!blocks[0].perplexity.has_value());
        lib.addBlockReport({run, 0, 5.0, 12.0});
        QCOMPARE(lib.listBlockReports(run).at(0).perplexity.value_or(0), 12.0);
    }

    void deletingTheModelRemovesTheReports() {
        ModelLibrary lib(path("library.db"));
        const int64_t run = addRun(lib, "/m/base");
        const int64_t kept = addRun(lib, "/m/kept");
        for (int64_t r : {run, kept}) {
            lib.addFinetuneReport({r, 0, 0, 1.0, 1.0});
            lib.addBlockReport({r, 0, 1.0, 2.0});
        }
        QVERIFY(lib.deleteModel(lib.findRun(run)->baseModelId));  // runs cascade, reports with them
        QVERIFY(!lib.findRun(run).has_value());
        QVERIFY(lib.listFinetuneReports(run).empty());
        QVERIFY(lib.listBlockReports(run).empty());
        QCOMPARE(lib.listFinetuneReports(kept).size(), size_t(1));
        QCOMPARE(lib.listBlockReports(kept).size(), size_t(1));
        RawDb raw(path("library.db"));
        QCOMPARE(raw.text("SELECT COUNT(*) FROM finetune_reports"), std::string("1"));
        QCOMPARE(raw.text("SELECT COUNT(*) FROM block_reports"), std::string("1"));
    }

    void versionTwoLibraryIsMigratedKeepingData() {
        const std::string db = path("v2.db");
        int64_t run = 0;
        {
            ModelLibrary lib(db);
            run = addRun(lib, "/m/base");
            lib.addLayerReport({run, 0, "self_attn.q_proj", "layers.0.q", 8, 8, 0.25, 2.0, 1.0, 3});
            lib.addEpochReport({run, 0, "self_attn.q_proj", 1, 0.5});
        }
        {
            // What a library written by schema 2 looks like: migrations 1-2, without 3's tables or 4's column.
            RawDb raw(db);
            raw.exec("DROP TABLE finetune_reports; DROP TABLE block_reports; ALTER TABLE messages DROP COLUMN model_name; "
                     "UPDATE schema_version SET version = 2;");
            QCOMPARE(raw.text("SELECT COUNT(*) FROM sqlite_master WHERE name = 'block_reports'"), std::string("0"));
        }
        ModelLibrary lib(db);
        QCOMPARE(ModelLibrary::latestSchemaVersion(), 4);
        QCOMPARE(lib.schemaVersion(), 4);
        QCOMPARE(lib.integrityCheck(), std::string("ok"));
        QVERIFY(lib.findRun(run).has_value());
        QCOMPARE(lib.listLayerReports(run).size(), size_t(1));
        QCOMPARE(lib.listEpochReports(run).size(), size_t(1));
        QVERIFY(lib.listFinetuneReports(run).empty());
        lib.addFinetuneReport({run, 0, 0, 1.0, 2.0});
        lib.addBlockReport({run, 0, 1.0, std::nullopt});
        QCOMPARE(lib.listFinetuneReports(run).size(), size_t(1));
        QCOMPARE(lib.listBlockReports(run).size(), size_t(1));
    }

private:
    std::string path(const char* name) const { return (m_dir->path() + "/" + name).toStdString(); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_MAIN(TestLibraryReports)
#include "tst_library_reports.moc"
