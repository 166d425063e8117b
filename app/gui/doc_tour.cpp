#include "app/gui/doc_tour.h"

#include "app/gui/main_window.h"
#include "app/gui/screenshot_tour.h"
#include "widgets/bridge/job_library_recorder.h"
#include "widgets/chat/chat_page.h"
#include "widgets/chat/model_picker.h"
#include "widgets/compare/compare_page.h"
#include "widgets/compress/compress_page.h"
#include "widgets/compress/compress_settings_form.h"
#include "widgets/core/library_service.h"
#include "widgets/evaluate/evaluate_page.h"
#include "widgets/library/finetune_dialog.h"
#include "widgets/library/library_page.h"
#include "widgets/library/model_importer.h"
#include "widgets/settings/settings_dialog.h"

#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>

#include <memory>

namespace aqlm::ui {

namespace {

qint64 modelIdOf(MainWindow& window, const QString& path) {
    const auto record = window.library()->db().findModelByPath(path.toStdString());
    return record ? record->id : 0;
}

// Calls then() once the chat page has the models of every active column loaded.
void whenChatReady(ChatPage* chat, int columns, std::function<void()> then) {
    auto loaded = std::make_shared<int>(0);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(chat, &ChatPage::modelReady, chat, [=](int, const ChatModelSummary&) {
        if (++*loaded < columns) return;
        QObject::disconnect(*connection);
        then();
    });
}

void sendAndWait(ChatPage* chat, const QString& prompt, const ScreenshotTour::Ready& ready, QWidget* window) {
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(chat, &ChatPage::answersFinished, chat, [=] {
        QObject::disconnect(*connection);
        ready(window);
    });
    chat->input()->setPlainText(prompt);
    chat->send();
}

}  // namespace

void addDocumentationTour(ScreenshotTour& tour, MainWindow& window, const DocTourInputs& in) {
    MainWindow* w = &window;
    auto variantId = std::make_shared<qint64>(0);

    // 1. Import the models (no picture yet: the library looks best once the variant is in).
    tour.addStep({}, [w, in](const ScreenshotTour::Ready& ready) {
        ModelImporter* importer = w->libraryPage()->importer();
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(importer, &ModelImporter::busyChanged, w, [=](bool busy) {
            if (busy) return;
            QObject::disconnect(*connection);
            ready(nullptr);
        });
        for (const QString& model : in.models) importer->importPath(model);
    });

    // 2. Compress the first model; the picture shows the finished run's plots.
    tour.addStep(QStringLiteral("compress.png"), [w, in, variantId](const ScreenshotTour::Ready& ready) {
        CompressPage* page = w->compressPage();
        w->tabs()->setCurrentWidget(page);
        page->settingsForm()->setModelPath(in.models.value(0));
        page->settingsForm()->setCalibrationFile(in.calibration);
        page->settingsForm()->applyPresetNamed(in.preset);
        page->settingsForm()->setOutDir(in.outDir);
        page->settingsForm()->setEvaluateAfter(true);
        page->settingsForm()->setEvaluationFile(in.evaluation);
        page->settingsForm()->setEvaluationWindows(48);
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(w->jobRecorder(), &JobLibraryRecorder::postProcessingDone, w, [=](qint64) {
            QObject::disconnect(*connection);
            *variantId = modelIdOf(*w, in.outDir);
            ready(nullptr);
        });
        page->start();
    });

    // 2b. PV-Tuning of the new variant from the Library's "Fine-tune…": the dialog with its live plots.
    tour.addStep(QStringLiteral("finetune.png"), [w, variantId](const ScreenshotTour::Ready& ready) {
        w->tabs()->setCurrentWidget(w->libraryPage());
        FinetuneDialog* dialog = w->libraryPage()->showFinetune(*variantId);
        if (!dialog) {
            ready(nullptr);
            return;
        }
        dialog->stepsBox()->setValue(40);
        dialog->tokensPerStepBox()->setValue(1024);
        dialog->evalEveryBox()->setValue(5);
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(dialog, &FinetuneDialog::variantRegistered, w, [=](qint64) {
            QObject::disconnect(*connection);
            ready(dialog);
            QTimer::singleShot(3000, dialog, &QDialog::close);
        });
        dialog->start();
    });

    // 3. The library with the base model, its new variant and the details pane.
    tour.addStep(QStringLiteral("library.png"), [w, in](const ScreenshotTour::Ready& ready) {
        w->tabs()->setCurrentWidget(w->libraryPage());
        w->libraryPage()->view()->expandAll();
        w->libraryPage()->selectModel(modelIdOf(*w, in.models.value(0)));
        ready(nullptr);
    });

    // 4. Perplexity of every model on the same text, with the running plot.
    tour.addStep(QStringLiteral("evaluate.png"), [w, in](const ScreenshotTour::Ready& ready) {
        EvaluatePage* page = w->evaluatePage();
        w->tabs()->setCurrentWidget(page);
        page->refresh();
        for (const QString& model : in.models) page->setModelChecked(modelIdOf(*w, model), true);
        page->setModelChecked(modelIdOf(*w, in.outDir), true);
        page->setModelChecked(modelIdOf(*w, in.outDir + QStringLiteral("-pv")), true);  // made by step 2b
        page->setDataPath(in.evaluation);
        page->seqLenSpin()->setValue(0);  // the model context, like the compression's own evaluation
        page->maxWindowsSpin()->setValue(48);
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(page, &EvaluatePage::runFinished, w, [=] {
            QObject::disconnect(*connection);
            ready(nullptr);
        });
        page->run();
    });

    // 5. The trade-off plot for the compressed model's base.
    tour.addStep(QStringLiteral("compare.png"), [w, in](const ScreenshotTour::Ready& ready) {
        ComparePage* page = w->comparePage();
        w->tabs()->setCurrentWidget(page);
        page->setBaseModel(modelIdOf(*w, in.models.value(0)));
        ready(nullptr);
    });

    // 6. A story continued by the original model.
    tour.addStep(QStringLiteral("chat.png"), [w, in](const ScreenshotTour::Ready& ready) {
        ChatPage* chat = w->chatPage();
        w->tabs()->setCurrentWidget(chat);
        whenChatReady(chat, 1, [=] { sendAndWait(chat, QStringLiteral("Once upon a time, a little robot"), ready, nullptr); });
        chat->modelPicker(0)->selectModel(modelIdOf(*w, in.models.value(0)));
    });

    // 7. The same prompt to the original and its compressed variant, side by side.
    tour.addStep(QStringLiteral("chat-side-by-side.png"), [w, variantId](const ScreenshotTour::Ready& ready) {
        ChatPage* chat = w->chatPage();
        chat->newConversation();
        chat->setSideBySide(true);
        whenChatReady(chat, 1, [=] { sendAndWait(chat, QStringLiteral("Once upon a time, a little robot"), ready, nullptr); });
        chat->modelPicker(1)->selectModel(*variantId);
    });

    // 8. The settings dialog.
    tour.addStep(QStringLiteral("settings.png"), [w](const ScreenshotTour::Ready& ready) {
        auto* dialog = new SettingsDialog(w);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
        ready(dialog);
        QTimer::singleShot(3000, dialog, &QDialog::close);
    });
}

}  // namespace aqlm::ui
