// aqlm-studio entry point. --version and --help are answered before any QApplication exists so
// they work without a display; --screenshot PATH grabs the window once shown (docs, smoke tests).
#include "app/gui/doc_tour.h"
#include "app/gui/main_window.h"
#include "app/gui/screenshot_tour.h"
#include "widgets/compress/compress_page.h"
#include "widgets/compress/compress_settings_form.h"
#include "widgets/core/app_icon.h"
#include "widgets/core/app_settings.h"
#include "widgets/core/library_service.h"
#include "widgets/core/translations.h"

#include "engine/api/engine_error.h"

#include "engine/runtime/threads.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QTabWidget>

#include <memory>
#include <QTimer>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) {
            std::printf("aqlm-studio %s\n", AQLM_VERSION);
            return 0;
        }
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::printf("usage: aqlm-studio [--version] [--model PATH] [--calib FILE] [--preset NAME] [--out DIR] [--start] [--screenshot PATH]\n"
                        "  --version          print the version and exit\n"
                        "  --model PATH       preselect the model to compress\n"
                        "  --calib FILE       preselect the calibration text\n"
                        "  --preset NAME      preselect a preset by its name\n"
                        "  --out DIR          preselect the output folder\n"
                        "  --start            start compressing right away (with --screenshot: grab when done)\n"
                        "  --screenshot PATH  save a PNG of the main window shortly after start, then quit\n"
                        "  --tour DIR         documentation tour: import the --import models, compress the first with\n"
                        "                     --preset/--calib into --out, evaluate on --eval, chat, save a PNG per page\n"
                        "                     into DIR and quit (tools/screenshots.sh)\n"
                        "  --import PATH      model to import for the tour (repeatable)\n"
                        "  --eval FILE        evaluation text for the tour\n");
            return 0;
        }
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("aqlm-studio"));
    QApplication::setApplicationVersion(QStringLiteral(AQLM_VERSION));
    QApplication::setOrganizationName(QStringLiteral("AQLM Studio"));
    // The desktop file name lets Wayland compositors match the window to aqlm-studio.desktop and
    // its themed icon; the window icon covers X11 and systems without the installed theme icon.
    QGuiApplication::setDesktopFileName(QStringLiteral("aqlm-studio"));
    QApplication::setWindowIcon(aqlm::ui::appIcon());
    // Before any widget exists: the language chosen in Settings (applied on restart).
    aqlm::ui::installTranslations(aqlm::ui::AppSettings::language());

    QCommandLineParser parser;
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QApplication::translate("main", "Save a PNG of the window and quit."),
                                        QStringLiteral("path"));
    const QCommandLineOption model(QStringLiteral("model"), QApplication::translate("main", "Model to compress."),
                                   QStringLiteral("path"));
    const QCommandLineOption calib(QStringLiteral("calib"), QApplication::translate("main", "Calibration text."),
                                   QStringLiteral("file"));
    parser.addOption(screenshot);
    parser.addOption(model);
    const QCommandLineOption preset(QStringLiteral("preset"), QApplication::translate("main", "Preset name."),
                                    QStringLiteral("name"));
    const QCommandLineOption out(QStringLiteral("out"), QApplication::translate("main", "Output folder."),
                                 QStringLiteral("dir"));
    const QCommandLineOption start(QStringLiteral("start"), QApplication::translate("main", "Start right away."));
    parser.addOption(calib);
    parser.addOption(preset);
    parser.addOption(out);
    parser.addOption(start);
    // The documentation tour is a developer tool (tools/screenshots.sh): its options stay untranslated.
    const QCommandLineOption tourDir(QStringLiteral("tour"), QStringLiteral("Documentation tour into DIR."), QStringLiteral("dir"));
    const QCommandLineOption tourImport(QStringLiteral("import"), QStringLiteral("Model to import (tour)."), QStringLiteral("path"));
    const QCommandLineOption tourEval(QStringLiteral("eval"), QStringLiteral("Evaluation text (tour)."), QStringLiteral("file"));
    parser.addOption(tourDir);
    parser.addOption(tourImport);
    parser.addOption(tourEval);
    parser.process(app);

    // LibTorch may start with one thread; the GUI's compressions should use every core like the CLI.
    aqlm::setThreadCount(aqlm::ui::AppSettings::threads());

    // A library that cannot be opened (damaged, newer schema) is reported, never overwritten.
    std::unique_ptr<aqlm::ui::LibraryService> library;
    try {
        library = std::make_unique<aqlm::ui::LibraryService>(aqlm::ui::AppSettings::libraryPath());
    } catch (const std::exception& e) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "Model library"),
                              QApplication::translate("main", "The model library could not be opened:\n%1")
                                  .arg(QString::fromUtf8(e.what())));
    }

    aqlm::ui::MainWindow window(library.get());
    if (parser.isSet(model)) window.compressPage()->settingsForm()->setModelPath(parser.value(model));
    aqlm::ui::CompressPage* page = window.compressPage();
    if (parser.isSet(calib)) page->settingsForm()->setCalibrationFile(parser.value(calib));
    if (parser.isSet(preset)) page->settingsForm()->applyPresetNamed(parser.value(preset));
    if (parser.isSet(out)) page->settingsForm()->setOutDir(parser.value(out));
    if (parser.isSet(start)) QTimer::singleShot(0, page, &aqlm::ui::CompressPage::start);
    // Scripted compressions show the Compress page; the Library tab comes first otherwise.
    if (parser.isSet(model) || parser.isSet(start)) window.tabs()->setCurrentWidget(page);
    window.show();
    // After the window shows, so the question has a parent; screenshots never wait for an answer.
    if (!parser.isSet(screenshot) && !parser.isSet(tourDir))
        QTimer::singleShot(0, &window, &aqlm::ui::MainWindow::offerInterruptedRuns);

    if (parser.isSet(tourDir)) {
        if (!window.library()) return 1;
        auto* tour = new aqlm::ui::ScreenshotTour(&window, parser.value(tourDir), &window);
        aqlm::ui::DocTourInputs inputs{parser.values(tourImport), parser.value(calib), parser.value(tourEval),
                                       parser.value(preset), parser.value(out)};
        aqlm::ui::addDocumentationTour(*tour, window, inputs);
        QObject::connect(tour, &aqlm::ui::ScreenshotTour::finished, &app, [](int failures) {
            QApplication::exit(failures == 0 ? 0 : 1);
        });
        tour->start();
        return app.exec();
    }

    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot);
        // Half a second lets layouts settle and queued replots of the plots run.
        auto grabSoon = [&window, path] {
            QTimer::singleShot(500, &window, [&window, path] {
                const bool ok = window.grab().save(path, "PNG");
                if (!ok) std::fprintf(stderr, "could not write %s\n", qPrintable(path));
                QApplication::exit(ok ? 0 : 1);
            });
        };
        if (parser.isSet(start))
            QObject::connect(page, &aqlm::ui::CompressPage::runEnded, &window, grabSoon);
        else
            grabSoon();
    }
    return app.exec();
}
