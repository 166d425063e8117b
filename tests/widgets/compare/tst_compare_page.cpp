// The Compare page on a temporary library (a base model, four AQLM/GPTQ/RTN variants, evaluations
// on two datasets, speed rows): one plotted point per variant at the right coordinates on every
// axis, the Pareto front (a dominated point left out, the direction flipped for tokens/s), the
// original as the reference line, the delta table, and the PNG / SVG / CSV exports.
#include "widgets/compare/compare_data.h"
#include "widgets/compare/compare_page.h"
#include "widgets/compare/compare_plot.h"
#include "widgets/core/library_service.h"

#include <QComboBox>
#include <QLabel>
#include <QTableWidget>
#include <QtTest/QtTest>

#include <algorithm>

using namespace aqlm;
using namespace aqlm::ui;

namespace {

const std::string kWiki = std::string(64, 'a');   // sha256 of the main dataset
const std::string kOther = std::string(64, 'b');

struct Variant {
    const char* name;
    const char* method;
    const char* scheme;
    double bits;
    int64_t bytes;
    double ppl;
    double tokensPerSecond;
};

// Sorted by bits. RTN is dominated by GPTQ on bits and size, but is the fastest.
const Variant kVariants[] = {
    {"ref-1x16g8", "aqlm", "1x16g8", 2.0, 250'000, 15.0, 40},
    {"ref \"2x8\", g8", "aqlm", "2x8g8", 2.5, 300'000, 14.0, 80},
    {"ref-gptq4", "gptq", "4b g128", 4.25, 500'000, 12.5, 120},
    {"ref-rtn4", "rtn", "4b g128", 4.5, 550'000, 13.5, 150},
};

ModelRecord model(const std::string& name, int64_t bytes) {
    ModelRecord m;
    m.name = name;
    m.path = "/models/" + name;
    m.format = "hf";
    m.dtype = "fp32";
    m.bytesOnDisk = bytes;
    return m;
}

EvaluationRecord evaluation(int64_t modelId, const std::string& sha, double ppl, int64_t createdAt) {
    EvaluationRecord e;
    e.modelId = modelId;
    e.datasetPath = sha == kWiki ? "/data/tinystories_valid_head.txt" : "/data/other.txt";
    e.datasetSha256 = sha;
    e.seqLen = 256;
    e.windows = 10;
    e.predictions = 2550;
    e.perplexity = ppl;
    e.createdAt = createdAt;
    return e;
}

void addSpeed(ModelLibrary& db, int64_t modelId, double decode) {
    SpeedRecord s;
    s.modelId = modelId;
    s.threads = 4;
    s.kernel = "test";
    s.decodeTokensPerSecond = decode;
    s.prefillTokensPerSecond = decode * 10;
    db.addSpeedMeasurement(s);
}

// Every (x, y) of the scatter graphs, and of one method's graph.
QList<QPointF> pointsOf(const QCPGraph* graph) {
    QList<QPointF> points;
    if (!graph) return points;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) points << QPointF(it->key, it->value);
    return points;
}

QList<QPointF> allPoints(const ComparePlot& plot) {
    QList<QPointF> points;
    for (const QCPGraph* g : plot.methodGraphs()) points << pointsOf(g);
    return points;
}

bool samePoints(QList<QPointF> a, QList<QPointF> b) {
    auto less = [](const QPointF& p, const QPointF& q) { return p.x() < q.x() || (p.x() == q.x() && p.y() < q.y()); };
    std::sort(a.begin(), a.end(), less);
    std::sort(b.begin(), b.end(), less);
    if (a.size() != b.size()) return false;
    for (int i = 0; i < a.size(); ++i)
        if (!qFuzzyCompare(a[i].x(), b[i].x()) || !qFuzzyCompare(a[i].y(), b[i].y())) return false;
    return true;
}

}  // namespace

class TestComparePage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_library = std::make_unique<LibraryService>(m_dir.filePath("library.sqlite3"));
        ModelLibrary& db = m_library->db();
        m_base = db.addModel(model("ref-7M", 2'000'000));
        db.addEvaluation(evaluation(m_base, kWiki, 12.0, 1000));
        db.addEvaluation(evaluation(m_base, kOther, 30.0, 1000));
        addSpeed(db, m_base, 200);
        int64_t t = 2000;
        for (const Variant& v : kVariants) {
            const int64_t id = db.addModel(model(v.name, v.bytes));
            db.addVariant(id, m_base, v.method, v.scheme, "{}", v.bits, v.bits + 1);
            // An older evaluation of the same protocol is superseded by the newer one.
            db.addEvaluation(evaluation(id, kWiki, v.ppl + 5, t++));
            db.addEvaluation(evaluation(id, kWiki, v.ppl, t++));
            addSpeed(db, id, v.tokensPerSecond / 2);
            addSpeed(db, id, v.tokensPerSecond);  // the best speed counts
        }
        // Only one variant on the second dataset.
        db.addEvaluation(evaluation(db.findModelByPath("/models/ref-gptq4")->id, kOther, 31.0, t++));
        // A model without variants is not offered as a base.
        db.addModel(model("lonely", 1));
    }

    void paretoFrontDirections() {
        const std::vector<QPointF> points = {{2.0, 15.0}, {2.5, 14.0}, {4.25, 12.5}, {4.5, 13.5}, {2.5, 14.0}, {3.0, 14.0}};
        // (4.5, 13.5) and (3.0, 14.0) are dominated; the duplicate (2.5, 14.0) points both stay.
        QCOMPARE(paretoFront(points, false), (std::vector<size_t>{0, 1, 4, 2}));
        const std::vector<QPointF> speeds = {{40, 15.0}, {80, 14.0}, {120, 12.5}, {150, 13.5}};
        QCOMPARE(paretoFront(speeds, true), (std::vector<size_t>{2, 3}));
        QVERIFY(paretoFront({}, false).empty());
    }

    void onePointPerVariantOnBits() {
        ComparePage page(m_library.get());
        QCOMPARE(page.baseCombo()->count(), 1);
        page.setBaseModel(m_base);
        page.setAxis(CompareAxis::BitsPerParam);
        QCOMPARE(page.datasetCombo()->count(), 2);
        QCOMPARE(page.datasetCombo()->currentIndex(), 0);  // the dataset with the most models first
        QVERIFY(page.datasetCombo()->currentText().contains("tinystories_valid_head.txt"));

        const ComparePlot& plot = *page.plot();
        QCOMPARE(allPoints(plot).size(), 4);
        QVERIFY(samePoints(pointsOf(plot.methodGraph("aqlm")), {{2.0, 15.0}, {2.5, 14.0}}));
        QVERIFY(samePoints(pointsOf(plot.methodGraph("gptq")), {{4.25, 12.5}}));
        QVERIFY(samePoints(pointsOf(plot.methodGraph("rtn")), {{4.5, 13.5}}));
        QCOMPARE(plot.methodGraph("aqlm")->name(), QString("AQLM"));
        QVERIFY(plot.methodGraph("aqlm")->scatterStyle().shape() != plot.methodGraph("gptq")->scatterStyle().shape());
        QVERIFY(plot.methodGraph("gptq")->scatterStyle().shape() != plot.methodGraph("rtn")->scatterStyle().shape());
        QCOMPARE(plot.labelCount(), 4);

        // The RTN point is dominated by GPTQ (fewer bits, lower perplexity): not on the front.
        QVERIFY(samePoints(pointsOf(plot.frontGraph()), {{2.0, 15.0}, {2.5, 14.0}, {4.25, 12.5}}));
        QCOMPARE(plot.frontGraph()->lineStyle(), QCPGraph::lsStepLeft);

        QVERIFY(plot.referenceLine());
        QCOMPARE(plot.referenceLine()->point1->coords().y(), 12.0);
        QCOMPARE(plot.referenceLine()->point2->coords().y(), 12.0);
        // Everything is inside the visible ranges, the reference line included.
        for (const QPointF& p : allPoints(plot)) {
            QVERIFY(plot.xAxis->range().contains(p.x()));
            QVERIFY(plot.yAxis->range().contains(p.y()));
        }
        QVERIFY(plot.yAxis->range().contains(12.0));
    }

    // Issue 15.7: both bit counts as axes and columns, each labelled; every point has a tooltip and
    // variants of the same scheme get distinct labels.
    void pointsHaveTooltipsAndBothBitCounts() {
        ComparePage page(m_library.get());
        page.resize(1000, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.setBaseModel(m_base);
        page.setAxis(CompareAxis::BitsPerParam);
        ComparePlot* plot = page.plot();
        plot->replot();
        QStringList labels;
        for (int i = 0; i < plot->labelCount(); ++i) labels << plot->labelText(i);
        QCOMPARE(labels.size(), 4);
        QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), 4);
        QVERIFY2(labels.contains("1x16g8") && labels.contains("4b g128 · ref-gptq4") && labels.contains("4b g128 · ref-rtn4"),
                 qPrintable(labels.join(", ")));
        const int gptq = int(labels.indexOf("4b g128 · ref-gptq4"));
        const QString tip = plot->toolTipAt(plot->pixelOfPoint(gptq));
        for (const char* part : {"ref-gptq4", "GPTQ 4b g128", "4.250 (quantized layers)", "5.250 (whole model)",
                                 "PPL: 12.500", "Size: 0.50 MB", "120.0 tok/s"})
            QVERIFY2(tip.contains(part), qPrintable(tip));
        QVERIFY(plot->toolTipAt(QPointF(-50, -50)).isEmpty());

        QVERIFY(page.axisCombo()->itemText(0).contains("quantized layers"));
        QVERIFY(page.axisCombo()->findData(int(CompareAxis::ModelBitsPerParam)) >= 0);
        page.setAxis(CompareAxis::ModelBitsPerParam);
        QVERIFY(samePoints(allPoints(*plot), {{3.0, 15.0}, {3.5, 14.0}, {5.25, 12.5}, {5.5, 13.5}}));
        QVERIFY(plot->xAxis->label().contains("whole model"));
        QStringList headers;
        for (int c = 0; c < page.table()->columnCount(); ++c) headers << page.table()->horizontalHeaderItem(c)->text();
        QVERIFY(headers.contains("Bits/param (quantized layers)") && headers.contains("Bits/param (whole model)"));
    }

    void axisSwitchMovesThePoints() {
        ComparePage page(m_library.get());
        page.setBaseModel(m_base);
        page.setAxis(CompareAxis::SizeMb);
        const ComparePlot& plot = *page.plot();
        QVERIFY(samePoints(allPoints(plot), {{0.25, 15.0}, {0.3, 14.0}, {0.5, 12.5}, {0.55, 13.5}}));
        QVERIFY(samePoints(pointsOf(plot.frontGraph()), {{0.25, 15.0}, {0.3, 14.0}, {0.5, 12.5}}));
        QCOMPARE(plot.xAxis->label(), axisTitle(CompareAxis::SizeMb));

        page.setAxis(CompareAxis::DecodeTokensPerSecond);
        QVERIFY(samePoints(allPoints(plot), {{40, 15.0}, {80, 14.0}, {120, 12.5}, {150, 13.5}}));
        // More tokens/s is better: now RTN (fastest) is on the front and the slow AQLM points are not.
        QVERIFY(samePoints(pointsOf(plot.frontGraph()), {{120, 12.5}, {150, 13.5}}));
        QCOMPARE(plot.frontGraph()->lineStyle(), QCPGraph::lsStepRight);
        QCOMPARE(plot.referenceLine()->point1->coords().y(), 12.0);
    }

    void otherDatasetAndMissingPoints() {
        ComparePage page(m_library.get());
        page.setBaseModel(m_base);
        page.datasetCombo()->setCurrentIndex(1);
        QVERIFY(page.datasetCombo()->currentText().contains("other.txt"));
        QVERIFY(samePoints(allPoints(*page.plot()), {{4.25, 31.0}}));
        QCOMPARE(page.plot()->referenceLine()->point1->coords().y(), 30.0);
        QVERIFY(page.messageLabel()->text().contains("3 variant"));
    }

    void tableShowsDeltas() {
        ComparePage page(m_library.get());
        page.setBaseModel(m_base);
        const QTableWidget& t = *page.table();
        QCOMPARE(t.rowCount(), 5);
        QCOMPARE(t.item(0, 0)->text(), QString("ref-7M"));
        QCOMPARE(t.item(0, 6)->text(), QString("12.000"));
        QCOMPARE(t.item(3, 0)->text(), QString("ref-gptq4"));
        QCOMPARE(t.item(3, 1)->text(), QString("GPTQ"));
        QCOMPARE(t.item(3, 3)->text(), QString("4.250"));
        QCOMPARE(t.item(3, 5)->text(), QString("120.0"));
        QCOMPARE(t.item(3, 6)->text(), QString("12.500"));
        QCOMPARE(t.item(3, 7)->text(), QString("+0.500"));
        QCOMPARE(t.item(3, 8)->text(), QString("+4.2"));
        // Front rows (bits axis) in bold: GPTQ yes, the dominated RTN no.
        QVERIFY(t.item(3, 0)->font().bold());
        QCOMPARE(t.item(4, 0)->text(), QString("ref-rtn4"));
        QVERIFY(!t.item(4, 0)->font().bold());
        QVERIFY(!t.item(0, 0)->font().bold());
        page.setAxis(CompareAxis::DecodeTokensPerSecond);
        QVERIFY(page.table()->item(4, 0)->font().bold());
        QVERIFY(!page.table()->item(1, 0)->font().bold());
    }

    void csvExport() {
        ComparePage page(m_library.get());
        page.setBaseModel(m_base);
        const QString path = m_dir.filePath("compare.csv");
        QVERIFY(page.exportCsv(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString csv = QString::fromUtf8(file.readAll());
        const QString expected =
            "model,method,scheme,bits_per_param,size_mb,decode_tokens_per_second,perplexity,delta_ppl,delta_percent,pareto\r\n"
            "ref-7M,original,,32.0000,2.000,200.00,12.0000,,,\r\n"
            "ref-1x16g8,aqlm,1x16g8,2.0000,0.250,40.00,15.0000,3.0000,25.00,yes\r\n"
            "\"ref \"\"2x8\"\", g8\",aqlm,2x8g8,2.5000,0.300,80.00,14.0000,2.0000,16.67,yes\r\n"
            "ref-gptq4,gptq,4b g128,4.2500,0.500,120.00,12.5000,0.5000,4.17,yes\r\n"
            "ref-rtn4,rtn,4b g128,4.5000,0.550,150.00,13.5000,1.5000,12.50,no\r\n";
        QCOMPARE(csv, expected);
        QCOMPARE(csvField("a\nb"), QString("\"a\nb\""));
        QVERIFY(!page.exportCsv(m_dir.filePath("no/such/folder/x.csv")));
    }

    void imageExports() {
        ComparePage page(m_library.get());
        page.setBaseModel(m_base);
        const QString png = m_dir.filePath("compare.png");
        const QString svg = m_dir.filePath("compare.svg");
        QVERIFY(page.exportPng(png));
        QVERIFY(page.exportSvg(svg));
        QImage image(png);
        QCOMPARE(image.size(), QSize(1200, 800));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.size() > 1000);
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("</svg>"));
    }

    void refreshesOnLibraryChange() {
        ComparePage page(m_library.get());
        page.setBaseModel(m_base);
        ModelLibrary& db = m_library->db();
        const int64_t id = db.addModel(model("ref-3bit", 400'000));
        db.addVariant(id, m_base, "aqlm", "1x8g8", "{}", 3.0, 4.0);
        db.addEvaluation(evaluation(id, kWiki, 12.0, 9000));  // as good as the original at 3 bits
        m_library->notifyChanged();
        QCOMPARE(allPoints(*page.plot()).size(), 5);
        // It dominates GPTQ (more bits, worse perplexity), which leaves the front.
        QVERIFY(samePoints(pointsOf(page.plot()->frontGraph()), {{2.0, 15.0}, {2.5, 14.0}, {3.0, 12.0}}));
        QVERIFY(db.deleteModel(id));
        m_library->notifyChanged();
        QCOMPARE(allPoints(*page.plot()).size(), 4);
    }

    void withoutLibrary() {
        ComparePage page(nullptr);
        QVERIFY(!page.messageLabel()->text().isEmpty());
        QCOMPARE(page.baseCombo()->count(), 0);
        QVERIFY(!page.baseCombo()->isEnabled());
    }

    void cleanupTestCase() { m_library.reset(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LibraryService> m_library;
    int64_t m_base = 0;
};

QTEST_MAIN(TestComparePage)
#include "tst_compare_page.moc"
