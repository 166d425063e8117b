// The Compress page: presets fill the form, the estimate label reports bits, advice and errors,
// and Start runs a real tiny compression whose reports fill the plots and the monitor.
#include "widgets/bridge/job_controller.h"
#include "widgets/compress/bit_estimate_label.h"
#include "widgets/compress/compress_page.h"
#include "widgets/compress/compress_settings_form.h"
#include "widgets/plot/epoch_error_plot.h"
#include "widgets/plot/finetune_loss_plot.h"
#include "widgets/plot/layer_error_bar_plot.h"
#include "widgets/plot/run_monitor.h"

#include "shared_paths.h"

#include <QComboBox>
#include <QPushButton>
#include <QtTest/QtTest>

using namespace aqlm;
using namespace aqlm::ui;
using namespace aqlm::test;

namespace {
const char* kModel = "models/stories260K/stories260K.bin";
const char* kCalib = "data/tinystories/tinystories_train_head_2MiB.txt";

int presetIndex(const CompressSettingsForm& form, const QString& name) {
    const auto* combo = form.findChild<QComboBox*>();
    return combo ? combo->findText(name) : -1;
}
}  // namespace

class TestCompressPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void presetsFillTheForm() {
        CompressSettingsForm form;
        QCOMPARE(form.presetCount(), 8);
        form.applyPreset(presetIndex(form, "2-bit fast on CPU 2x8 g8"));
        CompressionOptions o = form.options();
        QCOMPARE(o.method, aqlm::QuantMethod::Aqlm);
        QCOMPARE(o.scheme.toString(), std::string("2x8g8"));
        form.applyPreset(presetIndex(form, "Tiny test 1x8 g4"));
        o = form.options();
        QCOMPARE(o.scheme.toString(), std::string("1x8g4"));
        QCOMPARE(o.layer.maxEpochs, 3);
        QCOMPARE(o.nsamples, int64_t(12));
        form.applyPreset(presetIndex(form, "GPTQ 4-bit g128"));
        o = form.options();
        QCOMPARE(o.method, aqlm::QuantMethod::Gptq);
        QCOMPARE(o.bits, 4);
        QCOMPARE(o.groupSize, 128);
        QCOMPARE(o.finetuneEpochs, 0);
        QVERIFY(o.calibrationFiles.empty());
        form.setCalibrationFile("/data/calib.txt");
        QCOMPARE(form.options().calibrationFiles, std::vector<std::string>{"/data/calib.txt"});
        // Several texts in one field; stray separators and spaces are ignored.
        form.setCalibrationFile(" /data/a.txt; /data/b c.txt ;; ");
        QCOMPARE(form.options().calibrationFiles, (std::vector<std::string>{"/data/a.txt", "/data/b c.txt"}));
        form.setCalibrationFiles({"/x/1.txt", "/x/2.txt"});
        QCOMPARE(form.calibrationFiles(), (QStringList{"/x/1.txt", "/x/2.txt"}));
        form.setModelPath("/models/m.bin");
        QCOMPARE(form.outDir(), QString("/models/m-gptq-int4g128"));
    }

    void estimateShowsBitsAdviceAndErrors() {
        BitEstimateLabel label;
        CompressionOptions o;
        o.scheme = QuantScheme::parse("1x8g4");
        label.request("/nonexistent/model.bin", o);
        label.updateNow();
        QVERIFY(label.hasError());
        QVERIFY2(label.text().contains("/nonexistent/model.bin"), qPrintable(label.text()));

        if (!sharedExists(kModel)) QSKIP("stories260K missing");
        label.request(QString::fromStdString(sharedPath(kModel)), o);
        label.updateNow();
        QVERIFY2(!label.hasError(), qPrintable(label.text()));
        QVERIFY(label.text().contains("bits/param"));
        QVERIFY2(label.text().contains("Memory: about") && label.memoryFits(), qPrintable(label.text()));
        // Far more calibration data than any machine holds, with spilling turned off: refused in advance.
        CompressionOptions huge = o;
        huge.nsamples = int64_t(1) << 32;
        huge.activationMemoryBudget = -1;
        label.request(QString::fromStdString(sharedPath(kModel)), huge);
        label.updateNow();
        QVERIFY(!label.memoryFits());
        QVERIFY(label.hasWarning());
        QVERIFY2(label.text().contains("Does not fit in memory") && label.text().contains("calibration samples"),
                 qPrintable(label.text()));
        o.scheme = QuantScheme::parse("1x16g8");  // a 1 MiB codebook per tiny layer: advice
        label.request(QString::fromStdString(sharedPath(kModel)), o);
        QTRY_VERIFY(label.hasWarning());
    }

    void startRunsAndFillsThePlots() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kCalib);
        QTemporaryDir dir;
        JobController jobs;
        CompressPage page(&jobs);
        page.show();
        CompressSettingsForm* form = page.settingsForm();
        QVERIFY(!page.startButton()->isEnabled());  // no model yet
        QVERIFY(form->applyPresetNamed("Tiny test 1x8 g4"));
        QVERIFY(!form->applyPresetNamed("no such preset"));
        form->setModelPath(QString::fromStdString(sharedPath(kModel)));
        form->setCalibrationFile(QString::fromStdString(sharedPath(kCalib)));
        QVERIFY(page.startButton()->isEnabled());

        QSignalSpy finished(&jobs, &JobController::finished);
        QSignalSpy failed(&jobs, &JobController::failed);
        QSignalSpy ended(&page, &CompressPage::runEnded);
        // Output beside the model would write into shared/: point it at the temporary folder.
        form->setOutDir(dir.filePath("out"));
        QTest::mouseClick(page.startButton(), Qt::LeftButton);
        QVERIFY(page.cancelButton()->isEnabled());
        QVERIFY(!page.startButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, 600000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(ended.count(), 1);
        QCOMPARE(page.layerPlot()->barCount(), 35);
        QCOMPARE(page.epochPlot()->curveCount(), 35);
        QVERIFY(page.finetunePlot()->pointCount() >= 5);
        QCOMPARE(page.monitor()->progressValue(), page.monitor()->progressMaximum());
        QCOMPARE(page.monitor()->progressMaximum(), 35);
        QVERIFY2(page.monitor()->statusText().startsWith("Finished"), qPrintable(page.monitor()->statusText()));
        QVERIFY(page.monitor()->logText().contains("block 5 of 5 done"));
        QVERIFY(page.startButton()->isEnabled());
        QVERIFY(!page.cancelButton()->isEnabled());
        QVERIFY(!page.resumeButton()->isEnabled());
        QVERIFY(QFileInfo::exists(dir.filePath("out/config.json")));
    }
};

QTEST_MAIN(TestCompressPage)
#include "tst_compress_page.moc"
