#include "widgets/compress/compress_settings_form.h"

#include "widgets/core/library_service.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace aqlm::ui {

namespace {
QSpinBox* spinBox(int min, int max, const QString& special = {}) {
    auto* box = new QSpinBox;
    box->setRange(min, max);
    if (!special.isEmpty()) box->setSpecialValueText(special);
    return box;
}
}  // namespace

CompressSettingsForm::CompressSettingsForm(QWidget* parent) : QWidget(parent), m_presets(compressionPresets()) {
    m_model = new QLineEdit;
    m_model->setPlaceholderText(tr("llama2.c .bin or Hugging Face folder"));
    m_out = new QLineEdit;
    m_preset = new QComboBox;
    for (const CompressionPreset& p : m_presets) m_preset->addItem(p.name);
    m_codebooks = spinBox(1, 8);
    m_bits = spinBox(1, 16);
    m_group = spinBox(1, 1024);
    m_epochs = spinBox(0, 1000);
    m_finetuneEpochs = spinBox(0, 1000, tr("off"));
    m_samples = spinBox(1, 1 << 20);
    m_seqLen = spinBox(0, 1 << 20, tr("model context"));
    m_calibration = new QLineEdit;
    m_calibration->setPlaceholderText(tr("UTF-8 text files, separated by ;"));
    m_calibration->setToolTip(tr("Calibration samples are drawn from all of these texts together."));

    m_fromLibrary = new QToolButton;
    m_fromLibrary->setText(tr("Library"));
    m_fromLibrary->setToolTip(tr("Choose a model from the library"));
    m_fromLibrary->setPopupMode(QToolButton::InstantPopup);
    m_libraryMenu = new QMenu(m_fromLibrary);
    m_fromLibrary->setMenu(m_libraryMenu);
    m_fromLibrary->setVisible(false);
    connect(m_libraryMenu, &QMenu::aboutToShow, this, &CompressSettingsForm::fillLibraryMenu);
    auto* modelRow = pathRow(m_model, false, false);
    modelRow->layout()->addWidget(m_fromLibrary);

    auto* files = new QFormLayout;
    files->addRow(tr("Base model:"), modelRow);
    files->addRow(tr("Output folder:"), pathRow(m_out, true, true));
    files->addRow(tr("Calibration text:"), calibrationRow());
    files->addRow(tr("Preset:"), m_preset);

    auto* advanced = new QGroupBox(tr("Advanced"));
    auto* form = new QFormLayout(advanced);
    form->addRow(tr("Codebooks (M):"), m_codebooks);
    form->addRow(tr("Bits (per codebook or integer):"), m_bits);
    form->addRow(tr("Group size:"), m_group);
    form->addRow(tr("Max epochs per layer:"), m_epochs);
    form->addRow(tr("Fine-tune epochs per block:"), m_finetuneEpochs);
    form->addRow(tr("Calibration samples:"), m_samples);
    form->addRow(tr("Sequence length:"), m_seqLen);

    m_evaluate = new QCheckBox(tr("Evaluate after compression"));
    m_evaluate->setToolTip(tr("Measure the perplexity of the compressed model and store it in the library."));
    m_evalFile = new QLineEdit;
    m_evalFile->setPlaceholderText(tr("UTF-8 validation text"));
    m_evalWindows = spinBox(0, 1 << 20, tr("all"));
    m_evalWindows->setToolTip(tr("Windows of the text to score; fewer is quicker but less precise."));
    auto* evaluation = new QGroupBox(tr("Evaluation"));
    auto* evalForm = new QFormLayout(evaluation);
    evalForm->addRow(m_evaluate);
    evalForm->addRow(tr("Evaluate on:"), pathRow(m_evalFile, false, false));
    evalForm->addRow(tr("Windows:"), m_evalWindows);
    const QString defaultEval = defaultEvaluationFile();
    m_evalFile->setText(defaultEval);
    m_evaluate->setChecked(!defaultEval.isEmpty());
    connect(m_evaluate, &QCheckBox::toggled, this, [this](bool on) {
        m_evalFile->setEnabled(on);
        m_evalWindows->setEnabled(on);
        Q_EMIT settingsChanged();
    });
    m_evalFile->setEnabled(m_evaluate->isChecked());
    m_evalWindows->setEnabled(m_evaluate->isChecked());

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(files);
    layout->addWidget(advanced);
    layout->addWidget(evaluation);

    connect(m_preset, qOverload<int>(&QComboBox::currentIndexChanged), this, &CompressSettingsForm::applyPreset);
    for (QLineEdit* edit : {m_model, m_out, m_calibration, m_evalFile})
        connect(edit, &QLineEdit::textChanged, this, [this] {
            updateOutPlaceholder();
            Q_EMIT settingsChanged();
        });
    for (QSpinBox* box : {m_codebooks, m_bits, m_group, m_epochs, m_finetuneEpochs, m_samples, m_seqLen})
        connect(box, qOverload<int>(&QSpinBox::valueChanged), this, [this] {
            updateOutPlaceholder();
            Q_EMIT settingsChanged();
        });
    applyPreset(0);
}

QWidget* CompressSettingsForm::pathRow(QLineEdit* edit, bool directory, bool save) {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(tr("Browse…"));
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, directory, save] {
        Q_UNUSED(save);
        const QString start = edit->text().isEmpty() ? QString() : QFileInfo(edit->text()).absolutePath();
        // A model is a file (llama2.c) or a folder (Hugging Face): the file dialog covers the common case.
        const QString chosen = directory ? QFileDialog::getExistingDirectory(this, tr("Choose a folder"), start)
                                         : QFileDialog::getOpenFileName(this, tr("Choose a file"), start);
        if (!chosen.isEmpty()) edit->setText(chosen);
    });
    return row;
}

// Several calibration texts (e.g. a domain text beside a general one) go into one ';'-separated field.
QWidget* CompressSettingsForm::calibrationRow() {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(tr("Browse…"));
    layout->addWidget(m_calibration, 1);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QStringList current = calibrationFiles();
        const QString start = current.isEmpty() ? QString() : QFileInfo(current.first()).absolutePath();
        const QStringList chosen = QFileDialog::getOpenFileNames(this, tr("Choose calibration texts"), start);
        if (!chosen.isEmpty()) setCalibrationFiles(chosen);
    });
    return row;
}

void CompressSettingsForm::applyPreset(int index) {
    if (index < 0 || index >= m_presets.size()) return;
    if (m_preset->currentIndex() != index) {
        const QSignalBlocker blocker(m_preset);
        m_preset->setCurrentIndex(index);
    }
    m_base = m_presets[index].options;
    const bool aqlm = m_base.method == aqlm::QuantMethod::Aqlm;
    {
        // One settingsChanged() for the whole preset instead of one per field.
        const QSignalBlocker b1(m_codebooks), b2(m_bits), b3(m_group), b4(m_epochs), b5(m_finetuneEpochs),
            b6(m_samples), b7(m_seqLen);
        m_codebooks->setValue(m_base.scheme.numCodebooks);
        m_bits->setValue(aqlm ? m_base.scheme.nbitsPerCodebook : m_base.bits);
        m_group->setValue(aqlm ? m_base.scheme.inGroupSize : m_base.groupSize);
        m_epochs->setValue(m_base.layer.maxEpochs);
        m_finetuneEpochs->setValue(m_base.finetuneEpochs);
        m_samples->setValue(int(m_base.nsamples));
        m_seqLen->setValue(int(m_base.seqLen));
    }
    updateMethodFields();
    updateOutPlaceholder();
    Q_EMIT settingsChanged();
}

void CompressSettingsForm::updateMethodFields() {
    // Codebooks, layer epochs and fine-tuning mean nothing to GPTQ/RTN.
    const bool aqlm = m_base.method == aqlm::QuantMethod::Aqlm;
    m_codebooks->setEnabled(aqlm);
    m_epochs->setEnabled(aqlm);
    m_finetuneEpochs->setEnabled(aqlm);
}

bool CompressSettingsForm::applyPresetNamed(const QString& name) {
    for (int i = 0; i < m_presets.size(); ++i)
        if (m_presets[i].name == name) {
            applyPreset(i);
            return true;
        }
    return false;
}

int CompressSettingsForm::presetCount() const { return m_presets.size(); }

aqlm::CompressionOptions CompressSettingsForm::options() const {
    aqlm::CompressionOptions o = m_base;
    if (o.method == aqlm::QuantMethod::Aqlm) {
        o.scheme.numCodebooks = m_codebooks->value();
        o.scheme.nbitsPerCodebook = m_bits->value();
        o.scheme.inGroupSize = m_group->value();
        o.layer.maxEpochs = m_epochs->value();
        o.finetuneEpochs = m_finetuneEpochs->value();
    } else {
        o.bits = m_bits->value();
        o.groupSize = m_group->value();
        o.finetuneEpochs = 0;
    }
    o.nsamples = m_samples->value();
    o.seqLen = m_seqLen->value();
    o.calibrationFiles.clear();
    for (const QString& file : calibrationFiles()) o.calibrationFiles.push_back(file.toStdString());
    return o;
}

QString CompressSettingsForm::modelPath() const { return m_model->text().trimmed(); }
void CompressSettingsForm::setModelPath(const QString& path) { m_model->setText(path); }
void CompressSettingsForm::setOutDir(const QString& path) { m_out->setText(path); }
QStringList CompressSettingsForm::calibrationFiles() const {
    QStringList files;
    for (const QString& part : m_calibration->text().split(QLatin1Char(';')))
        if (!part.trimmed().isEmpty()) files << part.trimmed();
    return files;
}
void CompressSettingsForm::setCalibrationFile(const QString& path) { m_calibration->setText(path); }
void CompressSettingsForm::setCalibrationFiles(const QStringList& paths) {
    m_calibration->setText(paths.join(QStringLiteral("; ")));
}

QString CompressSettingsForm::schemeSuffix() const {
    const aqlm::CompressionOptions o = options();
    if (o.method == aqlm::QuantMethod::Aqlm) return QString::fromStdString(o.scheme.toString());
    return QStringLiteral("%1-int%2g%3").arg(QString::fromLatin1(aqlm::quantMethodName(o.method))).arg(o.bits).arg(o.groupSize);
}

QString CompressSettingsForm::outDir() const {
    if (!m_out->text().trimmed().isEmpty()) return m_out->text().trimmed();
    if (modelPath().isEmpty()) return {};
    const QFileInfo model(modelPath());
    return model.absolutePath() + QLatin1Char('/') + model.completeBaseName() + QLatin1Char('-') + schemeSuffix();
}

PostEvaluation CompressSettingsForm::evaluation() const {
    PostEvaluation e;
    if (!evaluateAfter()) return e;
    e.dataPath = evaluationFile();
    e.maxWindows = m_evalWindows->value();
    return e;  // seqLen 0: the model's context, as EVALUATION.md prescribes
}

bool CompressSettingsForm::evaluateAfter() const { return m_evaluate->isChecked() && !evaluationFile().isEmpty(); }
void CompressSettingsForm::setEvaluateAfter(bool on) { m_evaluate->setChecked(on); }
QString CompressSettingsForm::evaluationFile() const { return m_evalFile->text().trimmed(); }
void CompressSettingsForm::setEvaluationFile(const QString& path) { m_evalFile->setText(path); }
void CompressSettingsForm::setEvaluationWindows(int maxWindows) { m_evalWindows->setValue(maxWindows); }

QString CompressSettingsForm::defaultEvaluationFile() {
    QStringList roots;
    const QString env = qEnvironmentVariable("AQLM_SHARED");
    if (!env.isEmpty()) roots << env;
    const QString appDir = QCoreApplication::applicationDirPath();
    roots << QDir::current().filePath(QStringLiteral("../shared")) << appDir + QStringLiteral("/../../shared")
          << appDir + QStringLiteral("/../../../shared");
    for (const QString& root : roots)
        for (const char* name : {"data/tinystories/tinystories_valid_head.txt", "data/wikitext-2-raw/wiki.valid.raw"}) {
            const QFileInfo f(QDir(root).filePath(QLatin1String(name)));
            if (f.isFile()) return QDir::cleanPath(f.absoluteFilePath());
        }
    return {};
}

void CompressSettingsForm::setLibrary(LibraryService* library) {
    m_library = library;
    m_fromLibrary->setVisible(library != nullptr);
}

void CompressSettingsForm::fillLibraryMenu() {
    m_libraryMenu->clear();
    if (!m_library) return;
    std::vector<aqlm::ModelRecord> models;
    try {
        models = m_library->db().listModels();
    } catch (const std::exception& e) {
        m_libraryMenu->addAction(QString::fromUtf8(e.what()))->setEnabled(false);
        return;
    }
    if (models.empty()) m_libraryMenu->addAction(tr("The library is empty"))->setEnabled(false);
    for (const aqlm::ModelRecord& m : models) {
        const QString path = QString::fromStdString(m.path);
        QAction* action = m_libraryMenu->addAction(
            QStringLiteral("%1  (%2)").arg(QString::fromStdString(m.name), QString::fromStdString(m.format)));
        action->setToolTip(path);
        connect(action, &QAction::triggered, this, [this, path] { setModelPath(path); });
    }
}

void CompressSettingsForm::updateOutPlaceholder() {
    m_out->setPlaceholderText(m_out->text().isEmpty() && !modelPath().isEmpty() ? outDir()
                                                                                 : tr("beside the model"));
}

}  // namespace aqlm::ui
