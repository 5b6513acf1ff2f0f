@echo off
rem Sonde for Windows, the distribution's bin\sonde.cmd: runs ..\lib\sonde.jar with your arguments on
rem the first java.exe of 21 or newer, from %JAVA_HOME%\bin, then from PATH. A plain java -jar cannot
rem relaunch itself on Windows (no execve), so this script starts the JVM with the options the jar
rem relaunches with elsewhere (dev.sonde.cli.Launch; LaunchTest holds them equal): the serial
rem collector (G1 for a benchmark: run of a suite with a top-level load:), the quick compiler for
rem every command but emulator, and SONDE_LAUNCHED=1. No start-up cache on Windows: the AOT cache is
rem made by the relaunch's training run, and the run making a CDS archive of it prints ~150 warnings.
rem No parenthesised blocks: a path such as "C:\Program Files (x86)\..." would end them early.
setlocal EnableExtensions DisableDelayedExpansion
rem before any shift, which moves %0 too
set "SONDE_LIB_JAR=%~dp0..\lib\sonde.jar"
set "SONDE_JAVA="
set "SONDE_SEEN="
if defined JAVA_HOME call :check "%JAVA_HOME%\bin\java.exe"
if defined SONDE_JAVA goto run
set "SONDE_ON_PATH="
for %%J in (java.exe) do set "SONDE_ON_PATH=%%~$PATH:J"
if defined SONDE_ON_PATH call :check "%SONDE_ON_PATH%"
if defined SONDE_JAVA goto run
set "SONDE_HOME_SEEN=%JAVA_HOME%"
if not defined SONDE_HOME_SEEN set "SONDE_HOME_SEEN=not set"
if not defined SONDE_SEEN set "SONDE_SEEN= no java"
>&2 echo sonde: needs a JDK 21 or newer and found%SONDE_SEEN%; looked at JAVA_HOME [%SONDE_HOME_SEEN%] and java.exe on PATH. Install a JDK 21 or newer and set JAVA_HOME to it.
exit /b 2

:run
rem Launch.FLAGS; Launch.BENCHMARK_FLAGS when a .yaml/.yml argument of run has a line starting with
rem load: (Launch.benchmark reads a file's first 4 MB, findstr all of it); then Launch.QUICK_COMPILER.
set "SONDE_FLAGS=-XX:+UseSerialGC -XX:NewRatio=4 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=40 -XX:MarkSweepDeadRatio=0 --enable-native-access=ALL-UNNAMED"
set "SONDE_COMMAND=%~1"
if not "%SONDE_COMMAND%"=="run" goto flags
:scan
shift
if "%~1"=="" goto flags
set "SONDE_ARG=%~1"
if "%SONDE_ARG:~-5%"==".yaml" goto suite
if "%SONDE_ARG:~-4%"==".yml" goto suite
goto scan
:suite
findstr /r /b /c:"load[ 	]*:" "%SONDE_ARG%" >nul 2>&1 && set "SONDE_FLAGS=-XX:+UseG1GC --enable-native-access=ALL-UNNAMED"
goto scan
:flags
if not "%SONDE_COMMAND%"=="emulator" set "SONDE_FLAGS=%SONDE_FLAGS% -XX:TieredStopAtLevel=1"
set "SONDE_LAUNCHED=1"
"%SONDE_JAVA%" %SONDE_FLAGS% -cp "%SONDE_LIB_JAR%" dev.sonde.cli.Main %*
exit /b %ERRORLEVEL%

rem %1 is a java.exe: SONDE_JAVA becomes it when its version is 21 or newer, else it joins SONDE_SEEN.
rem The version is the third word of the line "<name> version "<version>" ..." that java -version
rem prints; its major is the part before the first ".", "-" or "+" (1.8.0_402 is 1, so too old).
:check
if not exist "%~1" goto :eof
set "SONDE_VERSION="
set "SONDE_MAJOR="
for /f "tokens=1-3" %%A in ('call "%~1" -version 2^>^&1') do if "%%B"=="version" if not defined SONDE_VERSION set "SONDE_VERSION=%%~C"
if defined SONDE_VERSION for /f "delims=.-+" %%M in ("%SONDE_VERSION%") do set "SONDE_MAJOR=%%M"
if not defined SONDE_MAJOR set "SONDE_MAJOR=0"
set /a "SONDE_MAJOR=SONDE_MAJOR" 2>nul
if %SONDE_MAJOR% GEQ 21 set "SONDE_JAVA=%~1"
if defined SONDE_JAVA goto :eof
if not defined SONDE_VERSION set "SONDE_VERSION=no version"
set "SONDE_SEEN=%SONDE_SEEN% %~1 [%SONDE_VERSION%]"
goto :eof
