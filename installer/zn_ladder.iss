; zn_ladder - Inno Setup 6 script: per-user install of the PyInstaller folder dist\zn-ladder.
;
; Build (after `pyinstaller build.spec`), from the repository root:
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\zn_ladder.iss
; -> installer\Output\zn_ladder-setup-0.1.0.exe
;
; Decisions (see installer\README.md):
; - Per user, no admin rights: PrivilegesRequired=lowest, so {autopf} is %LOCALAPPDATA%\Programs and
;   the shortcuts/uninstall entry go to the current user's Start menu and HKCU.
; - Upgrade in place: the AppId below never changes; a newer installer finds the previous folder,
;   closes a running zn_ladder (Restart Manager) and replaces the program files. The old bundle's
;   _internal folder is deleted first so that no library of an older build lingers beside the new one.
; - The uninstaller removes only the program folder. Settings, the fills database, logs, crash
;   reports and the browser profile live in the user's AppData\Local\zn_ladder (platformdirs), which
;   the installer never created and the uninstaller never touches.
; - A desk configuration file can be applied at install time: /DESKCONFIG="\\server\share\desk.toml".

#define AppName "zn_ladder"
#define AppExe "zn-ladder-gui.exe"
#define ConsoleExe "zn-ladder.exe"
#define DistDir "..\dist\zn-ladder"
#ifndef AppVersion
  ; Without /DAppVersion=..., read the version resource build.spec put into the executable.
  #define AppVersion GetVersionNumbersString(AddBackslash(SourcePath) + "..\dist\zn-ladder\zn-ladder.exe")
#endif

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
; A desk configuration handed over by support: zn-ladder config import FILE (never carries credentials;
; a switch to LIVE in it is refused here and must be confirmed by the trader in the app).
Filename: "{app}\{#ConsoleExe}"; Parameters: "config import ""{param:DESKCONFIG}"""; StatusMsg: "Applying the desk configuration..."; Flags: runhidden waituntilterminated; Check: HasDeskConfig
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the app writes inside its program folder (nothing today); never the user's AppData.
Type: dirifempty; Name: "{app}"

[Code]
function HasDeskConfig: Boolean;
var
  Path: String;
begin
  Path := ExpandConstant('{param:DESKCONFIG|}');
  Result := (Path <> '');
  if Result and not FileExists(Path) then
  begin
    Log('DESKCONFIG ' + Path + ' not found: the settings are left as they are');
    if not WizardSilent then
      MsgBox('The desk configuration file was not found:' + #13#10 + Path + #13#10 +
             'zn_ladder is installed with its current settings.', mbError, MB_OK);
    Result := False;
  end;
end;
