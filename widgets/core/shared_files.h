#pragma once
// Default paths: files of the shared models/data folder (AQLM_SHARED, or ../shared beside the
// working folder or the build), such as the fine-tuning text, and the fine-tuned model's folder.
#include "engine/api/finetune_types.h"

#include <QString>
#include <QStringList>

namespace aqlm::ui {

// The first of relativeNames (e.g. "data/tinystories/...") that exists under a shared root, as a
// clean absolute path; empty when none does.
QString findSharedFile(const QStringList& relativeNames);
// A file installed with the package's example model (share/aqlm-studio/examples); empty when absent.
QString findInstalledExample(const QString& name);
// The TinyStories training text (fine-tuning trains on it; the validation text stays held out), or
// the installed example's sample of it.
QString defaultFinetuneTextFile();
// <student folder>-pv (or -ft for global), made unique with -2, -3, ... when that exists.
QString defaultFinetuneOutDir(const QString& studentPath, aqlm::FinetuneMode mode);

}  // namespace aqlm::ui
