// The Compress page: presets fill the form, the estimate label reports bits, advice and errors,
// and Start runs a real tiny compression whose reports fill the plots and the monitor.
#include "widgets/bridge/job_controller.h"
#include "widgets/bridge/compression_settings_json.h"
#include "widgets/bridge/job_library_recorder.h"
#include "widgets/compress/settings_check.h"
#include "widgets/core/app_settings.h"
#include "widgets/core/library_service.h"
#include "widgets/compress/bit_estimate_label.h"
#include "widgets/compress/compress_page.h"
#include "widgets/compress/compress_settings_form.h"
#include "widgets/compress/time_estimate_label.h"
#include "widgets/plot/epoch_error_plot.h"
#include "widgets/plot/finetune_loss_plot.h"
#include "widgets/plot/layer_error_bar_plot.h"
#include "widgets/plot/run_monitor.h"

#include "shared_paths.h"

#include "engine/api/engine_facade.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
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

namespace {
QSpinBox* spinNamed(const CompressSettingsForm& form, const QString& label) {
    // The advanced fields are found through their form labels' buddies: the row label's text.
    for (auto* l : form.findChildren<QLabel*>())
        if (l->text() == label && l->buddy()) return qobject_cast<QSpinBox*>(l->buddy());
    return nullptr;
}

bool visibleTextContains(const QWidget& w, const QString& words) {
    for (auto* l : w.findChildren<QLabel*>())
        if (!l->isHidden() && l->text().contains(words)) return true;
    return false;
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}
}  // namespace

class TestCompressPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        // A fresh data folder: the default output folder lives in it.
        m_data = std::make_unique<QTemporaryDir>();
        qputenv("AQLM_STUDIO_DATA", m_data->path().toUtf8());
    }

    // Issue 15.1: on stories260K (widths 64 and 172) only group sizes 1, 2, 4 fit. Presets that do
    // not fit are greyed out with the reason, the form moves to one that fits, a group size typed
    // in that does not fit is explained next to the field and in the estimate, and Start waits.
    void settingsThatCannotRunAreShownBeforeStart() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kCalib);
        JobController jobs;
        CompressPage page(&jobs);
        page.show();
        CompressSettingsForm* form = page.settingsForm();
        QCOMPARE(form->currentPreset(), presetIndex(*form, "2-bit best quality 1x16 g8"));
        form->setModelPath(QString::fromStdString(sharedPath(kModel)));
        QVERIFY(form->hasModelInfo());
        QVERIFY(!form->presetEnabled(presetIndex(*form, "2-bit best quality 1x16 g8")));
        QVERIFY(!form->presetEnabled(presetIndex(*form, "GPTQ 4-bit g128")));
        QVERIFY(!form->presetEnabled(presetIndex(*form, "RTN 4-bit g128")));
        QVERIFY(form->presetEnabled(presetIndex(*form, "Tiny test 1x8 g4")));
        const auto* combo = form->findChild<QComboBox*>();
        const QString tip = combo->itemData(presetIndex(*form, "2-bit best quality 1x16 g8"), Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains("does not divide") && tip.contains("172") && tip.contains("1, 2, 4"), qPrintable(tip));
        // The default did not fit: the form chose the one that does and says why.
        QCOMPARE(form->currentPreset(), presetIndex(*form, "Tiny test 1x8 g4"));
        QVERIFY2(form->presetNote().contains("2-bit best quality 1x16 g8"), qPrintable(form->presetNote()));
        QCOMPARE(form->options().scheme.toString(), std::string("1x8g4"));

        // No calibration text yet: explained, Start disabled.
        QVERIFY(!page.startButton()->isEnabled());
        QVERIFY(visibleTextContains(*form, "Choose one or more calibration texts"));
        form->setCalibrationFile(QString::fromStdString(sharedPath(kCalib)));
        QVERIFY2(form->problems().isEmpty(), qPrintable(form->problems().join('\n')));
        QVERIFY(page.startButton()->isEnabled());

        // A group size that does not fit, typed into the advanced field.
        QSpinBox* group = spinNamed(*form, "Group size:");
        QVERIFY(group);
        group->setValue(8);
        QVERIFY(!page.startButton()->isEnabled());
        QVERIFY(visibleTextContains(*form, "Group size 8 does not divide the layer width 172"));
        QVERIFY(page.startButton()->toolTip().contains("does not divide"));
        page.estimateLabel()->updateNow();
        QVERIFY(page.estimateLabel()->hasError());
        QVERIFY2(page.estimateLabel()->text().contains("does not divide"), qPrintable(page.estimateLabel()->text()));
        group->setValue(4);
        QVERIFY(page.startButton()->isEnabled());
        page.estimateLabel()->updateNow();
        QVERIFY(!page.estimateLabel()->hasError());

        // Clicking Start while disabled, or calling start() with bad settings, queues nothing.
        group->setValue(8);
        page.start();
        QCOMPARE(jobs.queuedCount(), 0);
        QVERIFY(!jobs.isRunning());
    }

    // Issue 15.1: calibration texts and the output folder are checked as they are typed.
    void calibrationAndOutputFolderAreCheckedLive() {
        AQLM_REQUIRE_SHARED(kModel);
        QTemporaryDir dir;
        JobController jobs;
        CompressPage page(&jobs);
        CompressSettingsForm* form = page.settingsForm();
        form->setModelPath(QString::fromStdString(sharedPath(kModel)));
        writeFile(dir.filePath("empty.txt"), "");
        writeFile(dir.filePath("short.txt"), "Once upon a time.");
        form->setCalibrationFile(dir.filePath("missing.txt"));
        QVERIFY(form->problems().join(' ').contains("not found"));
        form->setCalibrationFile(dir.filePath("empty.txt"));
        QVERIFY(form->problems().join(' ').contains("is empty"));
        form->setCalibrationFile(dir.filePath("short.txt"));
        QVERIFY2(form->problems().join(' ').contains("too short"), qPrintable(form->problems().join(' ')));
        QVERIFY(visibleTextContains(*form, "too short"));
        QVERIFY(!page.startButton()->isEnabled());
        form->setCalibrationFile(QString::fromStdString(sharedPath(kCalib)));
        QVERIFY(page.startButton()->isEnabled());  // 2 MiB: long enough by its size alone, no count

        // Sizes that leave it open are counted with the model's tokenizer in the background; Start
        // waits for the count, and the verdict is the engine's own.
        const qint64 window = calibrationWindowTokens(form->modelInfo(), form->options());
        const QByteArray story = "Once upon a time, there was a little dog named Max. He liked to run in the park. ";
        for (const auto& [name, bytes] : {std::pair{"borderline.txt", window + 10}, std::pair{"enough.txt", 40 * window}}) {
            writeFile(dir.filePath(name), story.repeated(int(bytes / story.size() + 1)).left(int(bytes)));
            form->setCalibrationFile(dir.filePath(name));
            QVERIFY(!page.startButton()->isEnabled());
            QVERIFY2(form->problems().join(' ').contains("Counting"), qPrintable(form->problems().join(' ')));
            const qint64 tokens = countCalibrationTokens(sharedPath(kModel), {dir.filePath(name).toStdString()});
            const bool longEnough = tokens >= window;
            QCOMPARE(longEnough, std::string(name) == "enough.txt");
            QTRY_VERIFY_WITH_TIMEOUT(!form->problems().join(' ').contains("Counting"), 60000);
            QCOMPARE(page.startButton()->isEnabled(), longEnough);
            if (!longEnough)
                QVERIFY2(form->problems().join(' ').contains(QString("%1 tokens with this model's tokenizer").arg(tokens)),
                         qPrintable(form->problems().join(' ')));
        }
        form->setCalibrationFile(QString::fromStdString(sharedPath(kCalib)));

        writeFile(dir.filePath("keep.txt"), "x");
        QVERIFY(QDir().mkpath(dir.filePath("busy")));
        writeFile(dir.filePath("busy/keep.txt"), "precious");
        form->setOutDir(dir.filePath("busy"));
        QVERIFY(form->problems().join(' ').contains("already holds files"));
        QVERIFY(!page.startButton()->isEnabled());
        form->setOutDir(dir.filePath("keep.txt/sub"));  // below a file: cannot be created
        QVERIFY2(form->problems().join(' ').contains("not a writable folder"), qPrintable(form->problems().join(' ')));
        form->setOutDir(dir.filePath("new/folder"));
        QVERIFY(page.startButton()->isEnabled());
        QVERIFY(!visibleTextContains(*form, "--"));  // messages speak of fields, never of command-line flags
    }

    // Issue 15.5: the installed example model brings its calibration text; choosing it fills the
    // empty calibration field, never one the user filled.
    void theExampleModelBringsItsCalibrationText() {
        AQLM_REQUIRE_SHARED(kModel);
        QTemporaryDir examples;
        for (const char* f : {"stories260K.bin", "tok512.bin", "tok512.model"})
            QVERIFY(QFile::copy(QString::fromStdString(sharedPath(std::string("models/stories260K/") + f)), examples.filePath(f)));
        const QString sample = examples.filePath("tinystories-train-sample.txt");
        writeFile(sample, QByteArray("Once upon a time, there was a little dog named Max. ").repeated(2000));
        JobController jobs;
        CompressPage page(&jobs);
        CompressSettingsForm* form = page.settingsForm();
        form->setModelPath(examples.filePath("stories260K.bin"));
        QCOMPARE(form->calibrationFiles(), QStringList{sample});
        QVERIFY2(!form->problems().join(' ').contains("calibration"), qPrintable(form->problems().join(' ')));

        CompressPage other(&jobs);
        other.settingsForm()->setCalibrationFile(QString::fromStdString(sharedPath(kCalib)));
        other.settingsForm()->setModelPath(examples.filePath("stories260K.bin"));
        QCOMPARE(other.settingsForm()->calibrationFiles(), QStringList{QString::fromStdString(sharedPath(kCalib))});
    }

    // Issue 15.3: left empty, the output folder is <data folder>/models/<model>-<scheme>, follows
    // the preset, and never names a folder that exists.
    void defaultOutputFolderIsInTheDataFolder() {
        CompressSettingsForm form;
        form.setModelPath("/models/stories.bin");
        const QString models = QDir(m_data->path()).filePath("models");
        QCOMPARE(form.outDir(), models + "/stories-1x16g8");
        form.applyPresetNamed("GPTQ 4-bit g128");
        QCOMPARE(form.outDir(), models + "/stories-gptq-int4g128");
        QVERIFY(QDir().mkpath(models + "/stories-gptq-int4g128"));
        QCOMPARE(form.outDir(), models + "/stories-gptq-int4g128-2");
        QVERIFY(QDir().mkpath(models + "/stories-gptq-int4g128-2"));
        QCOMPARE(form.outDir(), models + "/stories-gptq-int4g128-3");
        form.setModelPath("/hf/TinyLlama-1.1B/");  // a Hugging Face folder keeps its whole name
        QCOMPARE(form.outDir(), models + "/TinyLlama-1.1B-gptq-int4g128");
        form.setOutDir("/chosen");
        QCOMPARE(form.outDir(), QString("/chosen"));
    }

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
        QCOMPARE(form.outDir(), QDir(m_data->path()).filePath("models/m-gptq-int4g128"));
    }

    // Issue 15.7: a run's stored settings hold the keys of its method only, and read back the same.
    void storedSettingsHoldOnlyTheMethodsKeys() {
        CompressSettingsForm form;
        form.setCalibrationFile("/data/calib.txt");
        QVERIFY(form.applyPresetNamed("RTN 4-bit g128"));
        const QString rtn = runSettingsJson(form.options(), {});
        for (const char* key : {"\"scheme\"", "\"layer\"", "finetune", "act_order", "dampening"})
            QVERIFY2(!rtn.contains(key), qPrintable(rtn));
        QVERIFY(rtn.contains("\"bits\":4") && rtn.contains("\"group_size\":128"));
        CompressionOptions back;
        parseRunSettingsJson(rtn, &back, nullptr);
        QCOMPARE(back.method, aqlm::QuantMethod::Rtn);
        QCOMPARE(back.bits, 4);
        QCOMPARE(back.groupSize, 128);
        QCOMPARE(back.finetuneEpochs, form.options().finetuneEpochs);
        QCOMPARE(back.calibrationFiles, form.options().calibrationFiles);

        QVERIFY(form.applyPresetNamed("2-bit fast on CPU 2x8 g8"));
        const QString aqlm = runSettingsJson(form.options(), {});
        for (const char* key : {"\"bits\"", "group_size", "act_order", "dampening"})
            QVERIFY2(!aqlm.contains(key), qPrintable(aqlm));
        parseRunSettingsJson(aqlm, &back, nullptr);
        QCOMPARE(back.scheme.toString(), std::string("2x8g8"));
        QCOMPARE(back.finetuneEpochs, form.options().finetuneEpochs);
        QCOMPARE(back.layer.maxEpochs, form.options().layer.maxEpochs);
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
        o.scheme = QuantScheme::parse("1x16g4");  // a 1 MiB codebook per tiny layer: advice
        label.request(QString::fromStdString(sharedPath(kModel)), o);
        label.updateNow();
        QVERIFY(label.hasWarning());
        QVERIFY2(label.text().contains("1x8"), qPrintable(label.text()));  // a concrete way out
        // Issue 15.7: 1x8 g4 is already as small as it gets: the warning may stay but recommends nothing chosen.
        o.scheme = QuantScheme::parse("1x8g4");
        label.request(QString::fromStdString(sharedPath(kModel)), o);
        label.updateNow();
        QVERIFY2(!label.text().contains("1x8") && !label.text().contains("g4"), qPrintable(label.text()));
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
        QVERIFY2(page.startButton()->isEnabled(), qPrintable(form->problems().join('\n')));
        // Issue 12: the time on this computer is measured before Start, in the background.
        TimeEstimateLabel* time = page.timeEstimateLabel();
        QTRY_VERIFY_WITH_TIMEOUT(time->expectedSeconds() > 0, 120000);
        QVERIFY2(time->text().startsWith("Time on this computer: about"), qPrintable(time->text()));

        QSignalSpy finished(&jobs, &JobController::finished);
        QSignalSpy failed(&jobs, &JobController::failed);
        QSignalSpy ended(&page, &CompressPage::runEnded);
        // Output beside the model would write into shared/: point it at the temporary folder.
        form->setOutDir(dir.filePath("out"));
        QTest::mouseClick(page.startButton(), Qt::LeftButton);
        QVERIFY(page.cancelButton()->isEnabled());
        QVERIFY(!page.startButton()->isEnabled());
        // Nothing is measured beside the run: it would slow both.
        QVERIFY(time->text().isEmpty());
        QVERIFY(time->expectedSeconds() < 0);
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
        // The folder now holds the model: the form proposes the next new folder in the data folder.
        QVERIFY(form->outDir() != dir.filePath("out"));
        QVERIFY(!visibleTextContains(*form, "already holds files"));
        QVERIFY(page.startButton()->isEnabled());
        // The finished folder chosen again is refused before Start.
        form->setOutDir(dir.filePath("out"));
        QVERIFY(!page.startButton()->isEnabled());
        QVERIFY(visibleTextContains(*form, "already holds files"));
        form->setOutDir({});  // the default again
        QVERIFY(page.startButton()->isEnabled());
        QVERIFY(!page.cancelButton()->isEnabled());
        QVERIFY(!page.resumeButton()->isEnabled());
        QVERIFY(QFileInfo::exists(dir.filePath("out/config.json")));
    }

    // Issue 15.2: a run stopped during its first block resumes; a run stopped later resumes with
    // its finished blocks' plots restored from the library; the form shows the resumed run's
    // settings, read-only, while it runs; Resume is offered only for a run that can continue.
    void resumeWorksFromAnyPointAndRestoresThePlots() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kCalib);
        QTemporaryDir dir;
        LibraryService library(AppSettings::libraryPath());
        JobController jobs;
        JobLibraryRecorder recorder(&jobs, &library);
        CompressPage page(&jobs);
        page.setLibrary(&library);
        page.setJobRecorder(&recorder);
        CompressSettingsForm* form = page.settingsForm();
        form->setModelPath(QString::fromStdString(sharedPath(kModel)));
        QVERIFY(form->applyPresetNamed("Tiny test 1x8 g4"));
        form->setCalibrationFile(QString::fromStdString(sharedPath(kCalib)));
        form->setEvaluateAfter(false);
        const QString out = dir.filePath("out");
        form->setOutDir(out);
        QVERIFY(!page.resumeButton()->isEnabled());

        QSignalSpy cancelled(&jobs, &JobController::cancelled);
        QSignalSpy finished(&jobs, &JobController::finished);
        QSignalSpy failed(&jobs, &JobController::failed);
        QSignalSpy blocksDone(&jobs, &JobController::blockDone);
        // 1. Stopped during the first block (the first epoch report).
        bool stopAtFirstEpoch = true;
        connect(&jobs, &JobController::epochReported, &page, [&] {
            if (std::exchange(stopAtFirstEpoch, false)) page.cancel();
        });
        QTest::mouseClick(page.startButton(), Qt::LeftButton);
        QVERIFY(form->isReadOnly());
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count() + failed.count(), 1, 600000);
        QVERIFY(failed.isEmpty());
        QVERIFY(!form->isReadOnly());
        QVERIFY(isResumableRunFolder(out));
        QVERIFY(page.resumeButton()->isEnabled());

        // 2. Resumed, then stopped again once its second block is done.
        const qint64 runId = recorder.runIdOfJob(page.lastJobId());
        QVERIFY(runId > 0);
        QMetaObject::Connection stopLater = connect(&jobs, &JobController::blockDone, &page, [&](qint64 block) {
            if (block == 1) page.cancel();
        });
        form->setOutDir(dir.filePath("elsewhere"));  // the form shows the resumed run's own settings instead
        QTest::mouseClick(page.resumeButton(), Qt::LeftButton);
        QVERIFY(form->isReadOnly());
        QCOMPARE(form->outDir(), out);
        QCOMPARE(form->options().scheme.toString(), std::string("1x8g4"));
        QVERIFY(!page.startButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count() + failed.count(), 2, 600000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        disconnect(stopLater);
        const int doneBefore = blocksDone.count();
        QVERIFY(doneBefore >= 2 && doneBefore < 5);
        QCOMPARE(qint64(library.db().listBlockReports(runId).size()), qint64(doneBefore));
        QVERIFY(page.resumeButton()->isEnabled());

        // 3. Resumed again: the finished blocks are back on the plots before the run reports anything.
        QTest::mouseClick(page.resumeButton(), Qt::LeftButton);
        QCOMPARE(page.layerPlot()->barCount(), 7 * doneBefore);
        QVERIFY(page.epochPlot()->curveCount() >= 7 * doneBefore);
        QVERIFY2(page.monitor()->logText().contains(QString("finished blocks restored from the library: %1").arg(doneBefore)),
                 qPrintable(page.monitor()->logText()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 600000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(page.layerPlot()->barCount(), 35);  // the redone blocks are not drawn twice
        QVERIFY(QFileInfo::exists(out + "/config.json"));
        QVERIFY(!isResumableRunFolder(out));
        QVERIFY(!page.resumeButton()->isEnabled());
        QVERIFY(!form->isReadOnly());
        // The finished folder is not offered again: the next unique default is, and Start can use it.
        QVERIFY(form->outDir() != out);
        QVERIFY(!QFileInfo::exists(form->outDir()));
        QTRY_VERIFY_WITH_TIMEOUT(!recorder.isPostProcessing(), 600000);
    }

private:
    std::unique_ptr<QTemporaryDir> m_data;
};

QTEST_MAIN(TestCompressPage)
#include "tst_compress_page.moc"
