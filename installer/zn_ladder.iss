; zn_ladder - Inno Setup 6 script: per-user install of the PyInstaller folder dist\zn-ladder.
;
; Build (after `pyinstaller build.spec`), from the repository root:
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\zn_ladder.iss
; -> installer\Output\zn_ladder-setup-0.1.0.exe
; /DDistDir=FOLDER packs another bundle folder (packaging/windows_check.sh packs a stand-in under Wine).
;
; Decisions (see installer\README.md):
; - Per user, no admin rights: PrivilegesRequired=lowest, so {autopf} is %LOCALAPPDATA%\Programs and
;   the shortcuts/uninstall entry go to the current user's Start menu and HKCU.
; - Upgrade in place: the AppId below never changes; a newer installer finds the previous folder,
;   closes a running zn_ladder (Restart Manager) and replaces the program files. The old bundle's
;   _internal folder is deleted first so that no library of an older build lingers beside the new one.
; - The uninstaller removes only the program folder. Settings, the fills database, logs, crash
;   reports and the browser profile live in the user's %LOCALAPPDATA%\zn_ladder (platformdirs), which
;   the installer never created and the uninstaller never touches.
; - A desk configuration file can be applied at install time: /DESKCONFIG="\\server\share\desk.toml".
;   If it cannot be applied (file missing, `config import` failing) the setup still installs, says so
;   (message box unless /SUPPRESSMSGBOXES, and the setup log) and exits with code 10 instead of 0, so
;   a deployment script sees it.

#define AppName "zn_ladder"
#define AppExe "zn-ladder-gui.exe"
#define ConsoleExe "zn-ladder.exe"
#ifndef DistDir
  #define DistDir AddBackslash(SourcePath) + "..\dist\zn-ladder"
#endif
#ifndef AppVersion
  ; Without /DAppVersion=..., read the version resource build.spec put into the executable.
  #define AppVersion GetVersionNumbersString(AddBackslash(DistDir) + ConsoleExe)
#endif
#if AppVersion == ""
  #error No version: pass /DAppVersion=X.Y.Z, or build the bundle first (its zn-ladder.exe carries the version resource)
#endif
; Exit code of a setup that installed but could not apply /DESKCONFIG (Inno's own codes are 1-8).
#define DeskConfigExitCode 10

[Setup]
; Fixed forever: Windows (and this installer) recognise an installed zn_ladder by it.
AppId={{02CC49D0-1878-4C9E-A644-7752ED1F4882}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=zn_ladder
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
UsePreviousAppDir=yes
CloseApplications=yes
RestartApplications=no
SetupIconFile=..\resources\zn_ladder.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir=Output
OutputBaseFilename=zn_ladder-setup-{#AppVersion}

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
; Fill capture at log-on (issue 15 §6): `zn-ladder monitor` from the user's Startup folder, minimized; it
; polls TT only inside the settings' capture.schedule. Not `schtasks /SC ONLOGON`: its trigger is "any
; user", which a user without admin rights is refused ("Access is denied").
Name: "captureatlogon"; Description: "Capture TT fills whenever I log on (inside the settings' capture window)"; GroupDescription: "Fill capture:"; Flags: unchecked

[InstallDelete]
; Upgrade in place: start from an empty library folder (files of an older PyInstaller build must not
; be picked up by the new one). User data is not here; see the header.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "README.md"; DestDir: "{app}"; DestName: "INSTALL-README.md"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Scenario ladder for Treasury futures on TT"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon
Name: "{userstartup}\{#AppName} fill capture"; Filename: "{app}\{#ConsoleExe}"; Parameters: "monitor"; WorkingDir: "{app}"; Flags: runminimized; Tasks: captureatlogon

[Run]
; The desk configuration (/DESKCONFIG) is applied from the code section, where its exit code is checked.
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the app writes inside its program folder (nothing today); never the user's AppData.
Type: dirifempty; Name: "{app}"

[Code]
var
  // Why /DESKCONFIG was not applied; empty when it was, or when none was given.
  DeskConfigProblem: String;

// A desk configuration handed over by support: `zn-ladder.exe config import FILE` (it never carries
// credentials; a switch to LIVE in it is refused here and must be confirmed by the trader in the app).
// Run from here rather than [Run] because [Run] ignores the program's exit code.
procedure ApplyDeskConfig;
var
  Path, Exe, Params: String;
  Code: Integer;
begin
  Path := ExpandConstant('{param:DESKCONFIG|}');
  if Path = '' then
    Exit;
  if not FileExists(Path) then
    DeskConfigProblem := 'The desk configuration file was not found:' + #13#10 + Path
  else
  begin
    Exe := ExpandConstant('{app}\{#ConsoleExe}');
    Params := 'config import "' + Path + '"';
    WizardForm.StatusLabel.Caption := 'Applying the desk configuration...';
    Log('Applying the desk configuration: "' + Exe + '" ' + Params);
    if not Exec(Exe, Params, ExpandConstant('{app}'), SW_HIDE, ewWaitUntilTerminated, Code) then
      DeskConfigProblem := 'zn-ladder.exe could not be started to import the desk configuration ' + Path +
        ': ' + SysErrorMessage(Code)
    else if Code <> 0 then
      DeskConfigProblem := 'The desk configuration ' + Path + ' was not applied: `zn-ladder.exe config import`' +
        ' exited with code ' + IntToStr(Code) + '. Run it in a console to see why:' + #13#10 +
        '"' + Exe + '" ' + Params;
  end;
  if DeskConfigProblem <> '' then
  begin
    Log('DESKCONFIG not applied (setup exit code {#DeskConfigExitCode}): ' + DeskConfigProblem);
    SuppressibleMsgBox(DeskConfigProblem + #13#10#13#10 + 'zn_ladder is installed with its current settings.',
      mbError, MB_OK, IDOK);
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
    ApplyDeskConfig;
end;

function GetCustomSetupExitCode: Integer;
begin
  if DeskConfigProblem <> '' then
    Result := {#DeskConfigExitCode}
  else
    Result := 0;
end;
