// The Library page: records round-trip through the tree model (columns, variants under their base
// model, recursive filter, sorting, details), importing a folder with stories260K adds exactly one
// row, a truncated model shows the engine's error and writes nothing, delete asks and can remove
// the files.
#include "widgets/core/library_service.h"
#include "widgets/core/model_record_info.h"
#include "widgets/library/library_page.h"
#include "widgets/library/library_tree_model.h"
#include "widgets/library/model_details.h"
#include "widgets/library/model_importer.h"

#include "shared_paths.h"

#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTextBrowser>
#include <QTreeView>
#include <QLabel>
#include <QPushButton>
#include <QtTest/QtTest>

using namespace aqlm;
using namespace aqlm::ui;
using namespace aqlm::test;

namespace {
const char* kModelDir = "models/stories260K";
const char* kModel = "models/stories260K/stories260K.bin";
constexpr int kTimeoutMs = 120000;

struct Message {
    QMessageBox::Icon icon;
    QString title, text;
};

ModelRecord record(const char* name, const char* path, const char* arch, int64_t params, int64_t bytes) {
    ModelRecord m;
    m.name = name;
    m.path = path;
    m.architecture = arch;
    m.format = "llama2.c v0";
    m.dtype = "float32";
    m.parameters = params;
    m.bytesOnDisk = bytes;
    return m;
}

EvaluationRecord evaluation(int64_t modelId, double ppl, const char* sha) {
    EvaluationRecord e;
    e.modelId = modelId;
    e.datasetPath = "/data/valid.txt";
    e.datasetSha256 = sha;
    e.seqLen = 256;
    e.windows = 10;
    e.perplexity = ppl;
    return e;
}
}  // namespace

class TestLibraryPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_library = std::make_unique<LibraryService>(m_dir->filePath("library.sqlite3"));
    }
    void cleanup() {
        m_library.reset();
        m_dir.reset();
    }

    void recordsRoundTripThroughTheTreeModel() {
        ModelLibrary& db = m_library->db();
        const int64_t base = db.addModel(record("base-llama", "/m/base.bin", "llama", 260000, 1 << 20));
        const int64_t other = db.addModel(record("other-mistral", "/m/other", "mistral", 7000000, 3 << 20));
        ModelRecord v = record("base-2x8g8", "/m/base-2x8g8", "llama", 260000, 100000);
        v.format = "hf aqlm 2x8g8";
        v.dtype = "float16";
        const int64_t variant = db.addModel(v);
        db.addVariant(variant, base, "aqlm", "2x8g8", "{\"nsamples\": 12}", 2.25, 3.5);
        db.addEvaluation(evaluation(variant, 12.5, "aa"));
        db.addEvaluation(evaluation(variant, 11.0, "bb"));

        LibraryTreeModel model(m_library.get());
        QCOMPARE(model.rowCount(), 2);  // the variant is not a top-level row
        QCOMPARE(model.columnCount(), int(LibraryTreeModel::ColumnCount));
        const QModelIndex b = model.indexOfModel(base);
        QVERIFY(b.isValid());
        QVERIFY(!b.parent().isValid());
        QCOMPARE(model.rowCount(b), 1);
        const QModelIndex child = model.index(0, 0, b);
        QCOMPARE(model.modelId(child), variant);
        QCOMPARE(child.parent(), b);
        QCOMPARE(model.rowCount(model.indexOfModel(other)), 0);

        auto cell = [&](const QModelIndex& row, int column, int role = Qt::DisplayRole) {
            return model.data(model.index(row.row(), column, row.parent()), role);
        };
        QCOMPARE(cell(child, LibraryTreeModel::Name).toString(), QString("base-2x8g8"));
        QCOMPARE(cell(child, LibraryTreeModel::Architecture).toString(), QString("llama"));
        QCOMPARE(cell(child, LibraryTreeModel::Parameters).toString(), QString("260.0K"));
        QCOMPARE(cell(child, LibraryTreeModel::FormatOrScheme).toString(), QString("aqlm 2x8g8"));
        QCOMPARE(cell(child, LibraryTreeModel::BitsPerParam).toString(), QString("3.50"));
        // Issue 15.7: both numbers, each under its own label.
        QCOMPARE(cell(child, LibraryTreeModel::QuantizedBitsPerParam).toString(), QString("2.25"));
        QVERIFY(model.headerData(LibraryTreeModel::BitsPerParam, Qt::Horizontal).toString().contains("whole model"));
        QVERIFY(model.headerData(LibraryTreeModel::QuantizedBitsPerParam, Qt::Horizontal).toString().contains("quantized"));
        QCOMPARE(cell(b, LibraryTreeModel::QuantizedBitsPerParam).toString(), QString("32.0"));
        QCOMPARE(cell(child, LibraryTreeModel::BestPerplexity).toString(), QString("11.000"));
        QCOMPARE(cell(child, LibraryTreeModel::SizeOnDisk).toString(), humanBytes(100000));
        QCOMPARE(cell(b, LibraryTreeModel::FormatOrScheme).toString(), QString("llama2.c v0"));
        QCOMPARE(cell(b, LibraryTreeModel::BitsPerParam).toString(), QString("32.0"));
        QCOMPARE(cell(b, LibraryTreeModel::SizeOnDisk).toString(), humanBytes(1 << 20));
        QVERIFY(cell(b, LibraryTreeModel::BestPerplexity).toString().isEmpty());
        QCOMPARE(cell(b, LibraryTreeModel::SizeOnDisk, LibraryTreeModel::SortRole).toLongLong(), qlonglong(1 << 20));
        QVERIFY(!cell(b, LibraryTreeModel::Date).toString().isEmpty());

        // The page: filter keeps a matching variant's base model, sorting uses raw values.
        LibraryPage page(m_library.get());
        QSortFilterProxyModel* proxy = page.proxy();
        QCOMPARE(proxy->rowCount(), 2);
        page.filterEdit()->setText("2X8G8");
        QCOMPARE(proxy->rowCount(), 1);
        const QModelIndex shownBase = proxy->index(0, 0);
        QCOMPARE(shownBase.data(LibraryTreeModel::ModelIdRole).toLongLong(), base);
        QCOMPARE(proxy->rowCount(shownBase), 1);
        page.filterEdit()->setText("mistral");
        QCOMPARE(proxy->rowCount(), 1);
        QCOMPARE(proxy->index(0, 0).data(LibraryTreeModel::ModelIdRole).toLongLong(), other);
        page.filterEdit()->setText("no such model");
        QCOMPARE(proxy->rowCount(), 0);
        page.filterEdit()->clear();
        page.view()->sortByColumn(LibraryTreeModel::SizeOnDisk, Qt::DescendingOrder);
        QCOMPARE(proxy->index(0, 0).data(LibraryTreeModel::ModelIdRole).toLongLong(), other);
        page.view()->sortByColumn(LibraryTreeModel::SizeOnDisk, Qt::AscendingOrder);
        QCOMPARE(proxy->index(0, 0).data(LibraryTreeModel::ModelIdRole).toLongLong(), base);

        // Details of the variant: lineage, settings, both evaluations.
        QVERIFY(page.selectModel(variant));
        QCOMPARE(page.selectedModelId(), variant);
        const QString html = page.details()->toHtml();
        for (const char* expected : {"/m/base-2x8g8", "base-llama", "2x8g8", "nsamples", "12.500", "11.000"})
            QVERIFY2(html.contains(expected), expected);

        // A write elsewhere reaches the page through LibraryService::changed.
        db.addModel(record("third", "/m/third.bin", "llama", 1000, 10));
        m_library->notifyChanged();
        QCOMPARE(proxy->rowCount(), 3);
        QCOMPARE(page.selectedModelId(), variant);  // the reload kept the selection

        // Delete asks; declining keeps the model, accepting removes it and its variant link.
        QString asked;
        page.setDeleteQuestion([&asked](const QString& q, bool*) { asked = q; return false; });
        QVERIFY(!page.deleteModel(base));
        QVERIFY(asked.contains("base-llama"));
        QVERIFY(asked.contains("1 variant"));
        QVERIFY(db.findModel(base).has_value());
        page.setDeleteQuestion([](const QString&, bool* files) { *files = false; return true; });
        QVERIFY(page.deleteModel(base));
        QVERIFY(!db.findModel(base).has_value());
        QVERIFY(!db.findVariantOf(variant).has_value());
        QCOMPARE(proxy->rowCount(), 3);  // the variant's model stays, now on its own
    }

    void importingStories260KCreatesOneRow() {
        AQLM_REQUIRE_SHARED(kModel);
        LibraryPage page(m_library.get());
        QList<Message> messages;
        page.setMessageHook([&messages](QMessageBox::Icon i, const QString& t, const QString& x) { messages << Message{i, t, x}; });
        QSignalSpy scans(page.importer(), &ModelImporter::scanFinished);
        page.importFolder(QString::fromStdString(sharedPath(kModelDir)));
        QTRY_COMPARE_WITH_TIMEOUT(scans.count(), 1, kTimeoutMs);

        const auto models = m_library->db().listModels();
        QCOMPARE(models.size(), size_t(1));
        const ModelRecord& m = models.front();
        const QString bin = QString::fromStdString(sharedPath(kModel));
        QCOMPARE(QString::fromStdString(m.path), libraryPathOf(bin));
        QCOMPARE(m.name, std::string("stories260K"));
        QCOMPARE(m.format, std::string("llama2.c v0"));
        QCOMPARE(m.architecture, std::string("llama"));
        QVERIFY(m.parameters > 200000 && m.parameters < 300000);
        QCOMPARE(m.bytesOnDisk, QFileInfo(bin).size());
        QCOMPARE(m.layers, int64_t(5));
        QCOMPARE(page.model()->rowCount(), 1);
        QCOMPARE(page.selectedModelId(), m.id);
        QVERIFY(page.details()->toPlainText().contains("stories260K"));

        // The summary names what was skipped (the tokenizer file is not a model).
        const auto summary = scans.at(0).at(0).value<ScanSummary>();
        QCOMPARE(summary.importedIds, QList<qint64>{m.id});
        QCOMPARE(summary.skipped.size(), 1);
        QVERIFY(summary.skipped.at(0).first.endsWith("tok512.bin"));
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages.at(0).icon, QMessageBox::Information);
        QVERIFY2(messages.at(0).text.contains("tok512.bin"), qPrintable(messages.at(0).text));

        // Importing the file itself again refreshes the same row.
        QSignalSpy imported(page.importer(), &ModelImporter::imported);
        page.importFile(bin);
        QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, kTimeoutMs);
        QCOMPARE(imported.at(0).at(0).toLongLong(), m.id);
        QCOMPARE(m_library->db().listModels().size(), size_t(1));
    }

    void brokenModelShowsTheErrorAndWritesNothing() {
        AQLM_REQUIRE_SHARED(kModel);
        QFile source(QString::fromStdString(sharedPath(kModel)));
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QString broken = m_dir->filePath("truncated.bin");
        QFile out(broken);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(source.read(source.size() / 2));
        out.close();

        LibraryPage page(m_library.get());
        QList<Message> messages;
        page.setMessageHook([&messages](QMessageBox::Icon i, const QString& t, const QString& x) { messages << Message{i, t, x}; });
        QSignalSpy failed(page.importer(), &ModelImporter::importFailed);
        page.importFile(broken);
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, kTimeoutMs);
        QCOMPARE(messages.at(0).icon, QMessageBox::Warning);
        QVERIFY2(messages.at(0).text.contains(broken), qPrintable(messages.at(0).text));
        QCOMPARE(failed.count(), 1);
        // The engine's own message (file and problem), not a generic one.
        QVERIFY2(failed.at(0).at(1).toString().contains("truncated.bin"), qPrintable(failed.at(0).at(1).toString()));
        QVERIFY(m_library->db().listModels().empty());
        QCOMPARE(page.model()->rowCount(), 0);

        page.importFile(m_dir->filePath("missing.bin"));
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 2, kTimeoutMs);
        QVERIFY(messages.at(1).text.contains("missing.bin"));
        QVERIFY(m_library->db().listModels().empty());
    }

    // Issue 15.5: an empty library shows the first-start panel (what the app does, how to import,
    // where models come from, the bundled example when installed); a model replaces it with the list.
    void emptyLibraryShowsTheWelcomePanel() {
        LibraryPage page(m_library.get());
        page.resize(1280, 720);
        page.show();
        QVERIFY(page.isShowingWelcome());
        QVERIFY(page.welcomePanel()->isVisible());
        QStringList texts;
        for (auto* l : page.welcomePanel()->findChildren<QLabel*>()) texts << l->text();
        const QString all = texts.join(' ');
        QVERIFY(all.contains("Welcome to AQLM Studio") && all.contains("Hugging Face") && all.contains("llama2.c"));
        QCOMPARE(page.exampleButton()->isVisibleTo(&page), !LibraryPage::bundledExample().isEmpty());
        if (!LibraryPage::bundledExample().isEmpty()) {
            // AQLM_SHARED stands in for the installed example here: one click imports it.
            QTest::mouseClick(page.exampleButton(), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(m_library->db().listModels().size(), size_t(1), kTimeoutMs);
        } else {
            m_library->db().addModel(record("m", "/m/m.bin", "llama", 1, 1));
            m_library->notifyChanged();
        }
        QTRY_VERIFY(!page.isShowingWelcome());
        QVERIFY(page.view()->isVisible());
    }

    // Issue 15.4: a text file picked by mistake is "not a model file", in words of the GUI.
    void textFileIsNotAModelFile() {
        const QString text = m_dir->filePath("notes.txt");
        QFile out(text);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("Once upon a time there was a little girl who liked stories about dragons and the sea.\n");
        out.close();
        LibraryPage page(m_library.get());
        QList<Message> messages;
        page.setMessageHook([&messages](QMessageBox::Icon i, const QString& t, const QString& x) { messages << Message{i, t, x}; });
        page.importFile(text);
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, kTimeoutMs);
        const QString message = messages.at(0).text;
        QVERIFY2(message.contains("not a model file") && message.contains("notes.txt"), qPrintable(message));
        QVERIFY2(!message.contains("out of range") && !message.contains("--"), qPrintable(message));
        QVERIFY(m_library->db().listModels().empty());
    }

    void deleteCanRemoveTheFiles() {
        AQLM_REQUIRE_SHARED(kModel);
        const QString copy = m_dir->filePath("copy.bin");
        QVERIFY(QFile::copy(QString::fromStdString(sharedPath(kModel)), copy));
        QVERIFY(QFile::copy(QString::fromStdString(sharedPath("models/stories260K/tok512.bin")), m_dir->filePath("tok512.bin")));
        LibraryPage page(m_library.get());
        page.setMessageHook([](QMessageBox::Icon, const QString&, const QString& text) { QFAIL(qPrintable(text)); });
        QSignalSpy imported(page.importer(), &ModelImporter::imported);
        page.importFile(copy);
        QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, kTimeoutMs);
        const qint64 id = imported.at(0).at(0).toLongLong();
        QCOMPARE(page.model()->rowCount(), 1);
        page.setDeleteQuestion([](const QString&, bool* files) { *files = true; return true; });
        QVERIFY(page.deleteModel(id));
        QVERIFY(!QFileInfo::exists(copy));
        QVERIFY(m_library->db().listModels().empty());
        QCOMPARE(page.model()->rowCount(), 0);
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LibraryService> m_library;
};

QTEST_MAIN(TestLibraryPage)
#include "tst_library_page.moc"
